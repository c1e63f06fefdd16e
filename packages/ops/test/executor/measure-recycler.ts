// Measures the worker executor's storage recycler (not a test: speed is never asserted). Model 1's
// second conv layer forward (batch 32, 28×28×32 → 64, 3×3, same) on 2 workers: first many calls in
// a row without `out`, printing per 20 calls the median time, where the results went (recycled or
// new storage), the page faults per call and the memory held; then calls without `out`, with a
// reused `out` and on an executor with recycling off, interleaved, medians.
//
//   node --import tsx --conditions=source packages/ops/test/executor/measure-recycler.ts

import { allocate, randomUniform } from '@convoy/tensor';
import { createWorkerExecutor } from '../../src/executor/index.js';

const x = randomUniform([32, 28, 28, 32], { min: -1, max: 1, seed: 1, shared: true });
const filter = randomUniform([3, 3, 32, 64], { min: -1, max: 1, seed: 2, shared: true });
const options = { padding: 'same' } as const;
const mebibytes = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
const pageFaults = () => process.resourceUsage().minorPageFault;

const executor = createWorkerExecutor({ workers: 2 });
// Both executors start (and load their workers) before anything is timed: starting a worker from
// TypeScript source spawns a process (tsx's esbuild), and after a fork every page this process
// writes faults once more (copy-on-write), which would be charged to whichever buffers come next.
const unrecycled = createWorkerExecutor({ workers: 2, maxRecycledBytes: 0 });
await Promise.all([
  executor.run('conv2d', x, filter, options),
  unrecycled.run('conv2d', x, filter, options),
]);
let times: number[] = [];
let faults = pageFaults();
for (let call = 1; call <= 100; call++) {
  const start = performance.now();
  await executor.run('conv2d', x, filter, options);
  times.push(performance.now() - start);
  if (call % 20 === 0) {
    const stats = executor.stats();
    console.log(
      `calls ${call - 19}–${call}: median ${median(times).toFixed(1)} ms · ${((pageFaults() - faults) / 20).toFixed(0)} page faults per call · so far recycled ${stats.recycledOutputs}, new ${stats.newOutputs} · free list ${mebibytes(stats.recycledBytesHeld)} MiB · arrayBuffers ${mebibytes(process.memoryUsage().arrayBuffers)} MiB`,
    );
    times = [];
    faults = pageFaults();
  }
}

const out = allocate('float32', 32 * 28 * 28 * 64, { shared: true });
const runners: [string, () => Promise<unknown>][] = [
  ['without out (recycled)', () => executor.run('conv2d', x, filter, options)],
  ['with out', () => executor.run('conv2d', x, filter, { ...options, out })],
  ['without out, recycling off', () => unrecycled.run('conv2d', x, filter, options)],
];
const samples = runners.map(() => [] as number[]);
const faultCounts = runners.map(() => [] as number[]);
for (let round = 0; round < 25; round++) {
  for (const [index, [, run]] of runners.entries()) {
    const faultsBefore = pageFaults();
    const start = performance.now();
    await run();
    if (round >= 5) {
      samples[index]!.push(performance.now() - start);
      faultCounts[index]!.push(pageFaults() - faultsBefore);
    }
  }
}
for (const [index, [name]] of runners.entries()) {
  console.log(
    `${name.padEnd(28)} median ${median(samples[index]!).toFixed(2)} ms, ${median(faultCounts[index]!)} page faults`,
  );
}
console.log(executor.stats());
await Promise.all([executor.close(), unrecycled.close()]);
