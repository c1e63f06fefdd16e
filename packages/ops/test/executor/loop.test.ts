// An executor's loop view (Executor.loop): each step's n-th result reuses the storage of the n-th
// result of the step before, on every executor, and gives the synchronous ops' numbers; outside a
// loop nothing is reused.

import { allocate, randomUniform, type Tensor } from '@convoy/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import {
  conv2d,
  conv2dBackpropFilter,
  createWorkerExecutor,
  type Executor,
  inlineExecutor,
  maxPool2d,
} from '../../src/index.js';

const workers = createWorkerExecutor({ workers: 2, inlineFlopThreshold: 0 });
afterAll(() => workers.close());

const executors: { name: string; executor: Executor }[] = [
  { name: 'inline', executor: inlineExecutor() },
  { name: '2 workers, every call split', executor: workers },
];

/** One "training step" of calls: a convolution, a pooling, and a summed filter gradient. */
async function step(executor: Executor, x: Tensor<'float32'>, filter: Tensor<'float32'>) {
  const y = await executor.run('conv2d', x, filter, { padding: 'same', activation: 'relu' });
  const pooled = await executor.run('maxPool2d', y);
  const dw = await executor.run('conv2dBackpropFilter', x, y, filter.shape, { padding: 'same' });
  return [y, pooled, dw];
}

describe.each(executors)('a loop view on $name', ({ executor }) => {
  const filter = randomUniform([3, 3, 2, 4], { min: -1, max: 1, seed: 2, shared: true });

  it("writes each step's results where the step before wrote them, with the ops' numbers", async () => {
    const loop = executor.loop();
    const storage: ArrayBufferLike[][] = [];
    for (const seed of [10, 20, 30]) {
      loop.step();
      const x = randomUniform([4, 6, 6, 2], { min: -1, max: 1, seed, shared: true });
      const results = await step(loop, x, filter);
      storage.push(results.map((result) => result.data.buffer));
      const y = conv2d(x, filter, { padding: 'same', activation: 'relu' });
      expect(results[0]!.data).toEqual(y.data);
      expect(results[1]!.data).toEqual(maxPool2d(y).data);
      const dw = conv2dBackpropFilter(x, y, filter.shape, { padding: 'same' });
      for (let i = 0; i < dw.size; i++) {
        expect(results[2]!.data[i]).toBeCloseTo(dw.data[i]!, 4);
      }
    }
    expect(storage[1]).toEqual(storage[0]);
    expect(storage[2]).toEqual(storage[0]);
    // Three different results within a step: never one storage for two of them.
    expect(new Set(storage[0]).size).toBe(3);
  });

  it('gives a result of another size new storage, and is its own loop', async () => {
    const loop = executor.loop();
    expect(loop.loop()).toBe(loop);
    expect(loop.workers).toBe(executor.workers);
    loop.step();
    const small = await loop.run('maxPool2d', randomUniform([2, 4, 4, 3], { seed: 1 }));
    loop.step();
    const large = await loop.run('maxPool2d', randomUniform([2, 8, 8, 3], { seed: 1 }));
    expect(large.data.buffer).not.toBe(small.data.buffer);
    expect(large.shape).toEqual([2, 4, 4, 3]);
  });

  it("keeps a caller's out, and reuses nothing outside a loop", async () => {
    const loop = executor.loop();
    const x = randomUniform([2, 4, 4, 3], { seed: 3, shared: true });
    const out = allocate('float32', 2 * 2 * 2 * 3, { shared: true });
    loop.step();
    expect((await loop.run('maxPool2d', x, { out })).data).toBe(out);
    const first = await executor.run('maxPool2d', x);
    const second = await executor.run('maxPool2d', x);
    expect(second.data.buffer).not.toBe(first.data.buffer);
  });
});

it("a worker executor's loop allocates in its first step only, partial sums included", async () => {
  const loop = workers.loop();
  const filter = randomUniform([3, 3, 2, 4], { seed: 4, shared: true });
  const x = randomUniform([4, 6, 6, 2], { seed: 5, shared: true });
  loop.step();
  await step(loop, x, filter);
  const afterFirst = workers.stats().newOutputs + workers.stats().recycledOutputs;
  for (let i = 0; i < 3; i++) {
    loop.step();
    await step(loop, x, filter);
  }
  expect(workers.stats().newOutputs + workers.stats().recycledOutputs).toBe(afterFirst);
});
