// Times filter2d on a large picture (default 4000x3000, a 12-megapixel photo) inline and on worker
// pools, after a warm-up, and checks every run gives the same pixels. Not a test: speed is never
// asserted. Run from the repository root:
//   node --conditions=source --import tsx packages/vision/bench/filter-large.ts [width height runs]
import { availableParallelism } from 'node:os';
import { createWorkerExecutor, type Executor, inlineExecutor } from '@convoy/ops';
import { drawCube, filter2d, type Image, maxPool, toGray } from '../src/index.js';

const [width = 4000, height = 3000, runs = 3] = process.argv.slice(2).map(Number);
console.log(
  `load average ${(await import('node:os'))
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} on ${availableParallelism()} cores`,
);

function tiledCube(width: number, height: number): Image<Uint8Array> {
  const tile = drawCube({ size: 1000 });
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const from = ((y % 1000) * 1000 + (x % 1000)) * 3;
      data.set(tile.data.subarray(from, from + 3), (y * width + x) * 3);
    }
  }
  return { width, height, channels: 3, data };
}

const gray = toGray(tiledCube(width, height));
console.log(`filter2d edge 3x3 on ${width}x${height} gray, best of ${runs} after a warm-up`);

// CPU time (all threads of this process) is printed beside wall time: on a machine shared with
// other jobs, wall time shows the contention and CPU time the work.
async function time(label: string, executor: Executor): Promise<Uint8Array> {
  let result = await filter2d(gray, 'edge', { executor });
  let best = Number.POSITIVE_INFINITY;
  let bestCpu = 0;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const cpu = process.cpuUsage();
    result = await filter2d(gray, 'edge', { executor });
    const wall = performance.now() - start;
    if (wall < best) {
      best = wall;
      const used = process.cpuUsage(cpu);
      bestCpu = (used.user + used.system) / 1000;
    }
  }
  console.log(
    `${label.padEnd(12)} wall ${best.toFixed(0).padStart(6)} ms   cpu ${bestCpu.toFixed(0).padStart(6)} ms`,
  );
  return result.data as Uint8Array;
}

const reference = await time('1 thread', inlineExecutor());
for (let workers = 1; workers <= availableParallelism(); workers++) {
  const executor = createWorkerExecutor({ workers });
  try {
    const data = await time(`${workers} worker${workers > 1 ? 's' : ''}`, executor);
    if (!Buffer.from(data).equals(Buffer.from(reference))) {
      throw new Error('the worker executor gave other pixels');
    }
  } finally {
    await executor.close();
  }
}
const start = performance.now();
maxPool(gray, { size: 2 });
console.log(`maxPool 2x2   ${(performance.now() - start).toFixed(0).padStart(6)} ms`);
