// The storage recycler behind worker executor results without `out` (src/executor/recycler.ts):
// storage comes back only once nothing on this thread reaches it (a subarray view is enough to
// keep it), the free list never holds more than its cap, and results written into recycled
// storage are the numbers of fresh ones. Collections are forced through V8's gc() so the test does not wait
// on the collector's timing.

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { randomUniform } from '@convoy/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { createWorkerExecutor } from '../../src/executor/index.js';
import { createRecycler } from '../../src/executor/recycler.js';
import {
  conv2d,
  conv2dBackpropFilter,
  conv2dBackpropInput,
  conv2dGeometry,
  matMul,
  outputShape,
} from '../../src/index.js';
import { expectSummedClose } from '../helpers/close.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** A full collection, then a turn of the event loop for the finalizers to run. */
async function collect(): Promise<void> {
  gc();
  await new Promise((resolve) => setTimeout(resolve, 0));
  gc();
  await new Promise((resolve) => setTimeout(resolve, 0));
}

/** Takes a buffer, marks it, and drops it, in a frame of its own so no local keeps it alive. */
function takeMarkedAndDrop(recycler: ReturnType<typeof createRecycler>, size: number): void {
  recycler.take(size).fill(7);
}

describe('storage recycler', () => {
  it('reuses the storage of a dropped result for the next one of its size, contents as left', async () => {
    const recycler = createRecycler();
    takeMarkedAndDrop(recycler, 1000);
    await collect();
    expect(recycler.stats()).toMatchObject({ reused: 0, allocated: 1, freeBytes: 4000 });
    const again = recycler.take(1000);
    expect(recycler.stats()).toMatchObject({ reused: 1, allocated: 1, freeBytes: 0 });
    // Stale contents: the kernels overwrite every element of a result.
    expect(again[0]).toBe(7);
    expect(again[999]).toBe(7);
    // Another size never takes it.
    takeMarkedAndDrop(recycler, 10);
    await collect();
    expect(recycler.take(20)[0]).toBe(0);
  });

  it('never reuses storage that a view still reaches', async () => {
    const recycler = createRecycler();
    const keep = (() => recycler.take(1000).subarray(10, 20))();
    await collect();
    const other = recycler.take(1000);
    other.fill(1);
    expect(recycler.stats()).toMatchObject({ reused: 0, allocated: 2 });
    expect(keep.every((value) => value === 0)).toBe(true);
  });

  it('keeps at most maxFreeBytes of released storage', async () => {
    const recycler = createRecycler(10_000);
    for (let i = 0; i < 5; i++) takeMarkedAndDrop(recycler, 1000);
    await collect();
    expect(recycler.stats().freeBytes).toBe(8000);
  });
});

describe('worker executor results without out, on recycled storage', () => {
  const executor = createWorkerExecutor({ workers: 2, inlineFlopThreshold: 0 });
  afterAll(() => executor.close());
  const options = { padding: 'same' } as const;
  const x = randomUniform([4, 9, 9, 8], { min: -1, max: 1, seed: 1, shared: true });
  const filter = randomUniform([3, 3, 8, 12], { min: -1, max: 1, seed: 2, shared: true });
  const dy = randomUniform(outputShape(conv2dGeometry(x.shape, filter.shape, options)), {
    min: -1,
    max: 1,
    seed: 3,
    shared: true,
  });
  const a = randomUniform([33, 40], { min: -1, max: 1, seed: 4, shared: true });
  const b = randomUniform([40, 17], { min: -1, max: 1, seed: 5, shared: true });

  it('equal the single-thread ops call after call', async () => {
    const expected = {
      forward: Array.from(conv2d(x, filter, options).data),
      input: Array.from(conv2dBackpropInput(dy, filter, x.shape, options).data),
      filter: conv2dBackpropFilter(x, dy, filter.shape, options),
      matMul: Array.from(matMul(a, b).data),
    };
    for (let round = 0; round < 4; round++) {
      const forward = await executor.run('conv2d', x, filter, options);
      expect(Array.from(forward.data)).toEqual(expected.forward);
      const dx = await executor.run('conv2dBackpropInput', dy, filter, x.shape, options);
      expect(Array.from(dx.data)).toEqual(expected.input);
      const dw = await executor.run('conv2dBackpropFilter', x, dy, filter.shape, options);
      // Summed over shards: another order than one thread's, so close rather than equal.
      expectSummedClose(dw, expected.filter);
      expect(Array.from((await executor.run('matMul', a, b)).data)).toEqual(expected.matMul);
      await collect();
    }
    const stats = executor.stats();
    expect(stats.recycledOutputs).toBeGreaterThan(0);
    // Five float32 arrays a round: each op's result, and the filter gradient's per-shard partials.
    expect(stats.recycledOutputs + stats.newOutputs).toBe(4 * 5);
  });

  it('an executor with maxRecycledBytes 0 allocates every result', async () => {
    const plain = createWorkerExecutor({ workers: 1, inlineFlopThreshold: 0, maxRecycledBytes: 0 });
    for (let i = 0; i < 2; i++) {
      await plain.run('matMul', a, b);
      await collect();
    }
    expect(plain.stats()).toMatchObject({ recycledOutputs: 0, newOutputs: 2 });
    await plain.close();
  });
});
