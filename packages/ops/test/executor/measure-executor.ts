// Measures the worker executor (not a test: speed is never asserted). Prints the round trip of a
// tiny task; the time of the textbook's second conv layer (batch 32, 28x28x32 -> 64, 3x3, same)
// forward and both backward passes inline, on 1 worker and on 2 workers; and, to place
// INLINE_FLOP_THRESHOLD, inline against 2 workers on convolutions of growing size.
// Times are the best of a few runs (the least disturbed by other processes on a shared machine).
//
//   node --import tsx --conditions=source packages/ops/test/executor/measure-executor.ts

import { Worker } from 'node:worker_threads';
import { randomUniform } from '@convoy/tensor';
import {
  createWorkerExecutor,
  type Executor,
  inlineExecutor,
  type WorkerExecutor,
} from '../../src/executor/index.js';
import { activeBackend, conv2dGeometry, outputShape } from '../../src/index.js';

const REPEATS = 15;

async function best(run: () => Promise<unknown>, repeats = REPEATS): Promise<number> {
  await run(); // warm-up: lets V8 tier the WebAssembly up and the workers load their backend
  await run();
  let fastest = Number.POSITIVE_INFINITY;
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    await run();
    fastest = Math.min(fastest, performance.now() - start);
  }
  return fastest;
}

/** Microseconds per call of `call`, the best of a few batches of `count` sequential calls. */
async function perCall(call: () => Promise<unknown>, count = 2000): Promise<number> {
  const run = async () => {
    for (let i = 0; i < count; i++) await call();
  };
  return ((await best(run, 3)) / count) * 1000;
}

async function roundTrips(executor: WorkerExecutor): Promise<string> {
  const one = randomUniform([1, 1], { seed: 1, shared: true });
  const out = new Float32Array(new SharedArrayBuffer(4));
  const geometry = { m: 1, k: 1, n: 1, transposeA: false, transposeB: false };
  // The bare task: post, run a 1x1 kernel in the worker, reply.
  const task = await perCall(() =>
    executor.runTask({
      kind: 'kernel',
      kernel: 'matMul',
      backend: activeBackend().name,
      arrays: { a: one.data, b: one.data, out },
      geometry,
      range: { start: 0, end: 1 },
    }),
  );
  // The whole op: validation, a shared output allocation, the task.
  const op = await perCall(() => executor.run('matMul', one, one));
  return `task ${task.toFixed(1)} µs, whole 1x1 matMul call ${op.toFixed(1)} µs`;
}

const xShape = [32, 28, 28, 32] as const;
const filterShape = [3, 3, 32, 64] as const;
const options = { padding: 'same' } as const;
const x = randomUniform(xShape, { min: -1, max: 1, seed: 1, shared: true });
const filter = randomUniform(filterShape, { min: -1, max: 1, seed: 2, shared: true });
const dy = randomUniform(outputShape(conv2dGeometry(xShape, filterShape, options)), {
  min: -1,
  max: 1,
  seed: 3,
  shared: true,
});
const gflop = (2 * 32 * 28 * 28 * 64 * 9 * 32) / 1e9;

/**
 * What two threads can gain on this machine right now, whatever the executor does: a busy loop on
 * one worker_thread against the same loop split over two. On a shared machine this ceiling, not
 * the executor, often bounds the speedup, so it is printed next to the executor's numbers.
 */
async function parallelCeiling(): Promise<number> {
  const source = `const { parentPort } = require('node:worker_threads');
    parentPort.on('message', (n) => { let s = 0; for (let i = 0; i < n; i++) s += Math.sqrt(i); parentPort.postMessage(s); });`;
  const threads = [new Worker(source, { eval: true }), new Worker(source, { eval: true })];
  const spin = (thread: Worker, n: number) =>
    new Promise((resolve) => {
      thread.once('message', resolve);
      thread.postMessage(n);
    });
  const n = 2e8;
  const one = await best(() => spin(threads[0]!, n), 3);
  const two = await best(() => Promise.all(threads.map((thread) => spin(thread, n / 2))), 3);
  await Promise.all(threads.map((thread) => thread.terminate()));
  return one / two;
}

console.log(`backend: ${activeBackend().name}`);
console.log(`two raw threads vs one on a busy loop: ${(await parallelCeiling()).toFixed(2)}x`);
const eager = createWorkerExecutor({ workers: 1, inlineFlopThreshold: 0 });
console.log(`round trip through 1 worker: ${await roundTrips(eager)}`);
await eager.close();

const executors = [
  { name: 'inline', executor: inlineExecutor() },
  { name: '1 worker', executor: createWorkerExecutor({ workers: 1 }) },
  { name: '2 workers', executor: createWorkerExecutor({ workers: 2 }) },
];
const passes = {
  forward: (e: Executor) => e.run('conv2d', x, filter, options),
  backpropInput: (e: Executor) => e.run('conv2dBackpropInput', dy, filter, xShape, options),
  backpropFilter: (e: Executor) => e.run('conv2dBackpropFilter', x, dy, filterShape, options),
};
// Start every thread (and let it compile its kernels) before timing anything, so no executor's start-up
// competes with another executor's measurement.
for (const run of Object.values(passes)) {
  for (const { executor } of executors) await run(executor);
}
for (const [pass, run] of Object.entries(passes)) {
  const times: Record<string, number> = {};
  for (const { name, executor } of executors) times[name] = await best(() => run(executor));
  const line = executors
    .map(
      ({ name }) =>
        `${name} ${times[name]!.toFixed(1)} ms (${(gflop / (times[name]! / 1000)).toFixed(1)} GFLOP/s)`,
    )
    .join(', ');
  console.log(
    `${pass}: ${line}; 2 workers vs 1: ${(times['1 worker']! / times['2 workers']!).toFixed(2)}x`,
  );
}
await Promise.all(executors.map(({ executor }) => executor.close()));

// Where sharding starts to pay: batch 8 convolutions 3x3 same on 12x12 images, channels growing.
const inline = inlineExecutor();
const sharded = createWorkerExecutor({ workers: 2, inlineFlopThreshold: 0 });
for (const channels of [2, 4, 8, 12, 16, 24, 32]) {
  const sx = randomUniform([8, 12, 12, channels], { seed: 5, shared: true });
  const sf = randomUniform([3, 3, channels, channels], { seed: 6, shared: true });
  const mflop = (2 * 8 * 12 * 12 * channels * 9 * channels) / 1e6;
  const repeat = async (executor: Executor) => {
    for (let i = 0; i < 20; i++) await executor.run('conv2d', sx, sf, options);
  };
  const inlineMs = (await best(() => repeat(inline))) / 20;
  const shardedMs = (await best(() => repeat(sharded))) / 20;
  console.log(
    `conv ${mflop.toFixed(2)} MFLOP: inline ${(inlineMs * 1000).toFixed(0)} µs, 2 workers ${(shardedMs * 1000).toFixed(0)} µs`,
  );
}
await sharded.close();

// Why shard by batch and not by output channel: a channel shard still walks every input window
// (the im2col / patch work is repeated in every worker) and writes a strided slice of each NHWC
// pixel. On one thread, half the output channels over the whole batch against the whole layer
// over half the batch shows what each kind of shard costs.
const halfFilter = randomUniform([3, 3, 32, 32], { min: -1, max: 1, seed: 7, shared: true });
const halfBatch = randomUniform([16, 28, 28, 32], { min: -1, max: 1, seed: 8, shared: true });
const byChannel = await best(() => inline.run('conv2d', x, halfFilter, options));
const byBatch = await best(() => inline.run('conv2d', halfBatch, filter, options));
console.log(
  `one shard of the forward pass on one thread: half the channels ${byChannel.toFixed(1)} ms, half the batch ${byBatch.toFixed(1)} ms`,
);
