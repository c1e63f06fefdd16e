// Where the Node worker executor sends work: inline below the threshold, one task per shard above
// it, and no copy of inputs that already sit on shared memory; and how createExecutor and
// createWorkerExecutor check their options.

import { randomUniform } from '@convoy/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { createExecutor, createWorkerExecutor } from '../../src/executor/index.js';
import { conv2d, reference } from '../../src/index.js';
import { expectClose } from '../helpers/close.js';

describe('node worker executor work placement', () => {
  const executors = [
    createWorkerExecutor({ workers: 2 }),
    createWorkerExecutor({ workers: 2, inlineFlopThreshold: 0 }),
  ] as const;
  const [defaults, eager] = executors;
  afterAll(() => Promise.all(executors.map((executor) => executor.close())));

  it('defaults to the available cores', async () => {
    const { availableParallelism } = await import('node:os');
    const executor = createWorkerExecutor({ inlineFlopThreshold: 0 });
    expect(executor.workers).toBe(availableParallelism());
    await executor.close();
  });

  it('createExecutor: 1 worker computes on the calling thread, more start worker threads', async () => {
    const inline = createExecutor({ workers: 1 });
    expect(inline.workers).toBe(1);
    expect('stats' in inline).toBe(false);
    const x = randomUniform([2, 5, 5, 3], { seed: 1 });
    const filter = randomUniform([3, 3, 3, 4], { seed: 2 });
    expect((await inline.run('conv2d', x, filter)).data).toEqual(conv2d(x, filter).data);
    await inline.close();
    const threads = createExecutor({ workers: 2 });
    expect(threads.workers).toBe(2);
    expect('stats' in threads).toBe(true);
    await threads.close();
  });

  it('runs a call below INLINE_FLOP_THRESHOLD inline and a large one on every worker', async () => {
    const small = randomUniform([2, 5, 5, 3], { seed: 1, shared: true });
    const smallFilter = randomUniform([3, 3, 3, 4], { seed: 2, shared: true });
    await defaults.run('conv2d', small, smallFilter);
    expect(defaults.stats()).toMatchObject({ inlineCalls: 1, shardedCalls: 0, tasks: 0 });

    // 2·8·16·16·16·9·16 ≈ 9.4 MFLOP, above the 8 MFLOP threshold: one shard per worker.
    const x = randomUniform([8, 16, 16, 16], { seed: 3, shared: true });
    const filter = randomUniform([3, 3, 16, 16], { seed: 4, shared: true });
    const out = await defaults.run('conv2d', x, filter, { padding: 'same' });
    expect(defaults.stats()).toMatchObject({ inlineCalls: 1, shardedCalls: 1, tasks: 2 });
    expectClose(out, reference.conv2d(x, filter, { padding: 'same' }));
  });

  it('copies inputs onto shared memory only when they are not already there', async () => {
    const before = eager.stats();
    const shared = randomUniform([3, 6, 6, 2], { seed: 5, shared: true });
    const plain = randomUniform([3, 6, 6, 2], { seed: 5 });
    const filter = randomUniform([3, 3, 2, 2], { seed: 6, shared: true });
    const first = await eager.run('conv2d', shared, filter);
    expect(eager.stats().inputCopies).toBe(before.inputCopies);
    const second = await eager.run('conv2d', plain, filter);
    expect(eager.stats().inputCopies).toBe(before.inputCopies + 1);
    expect(eager.stats().copiedElements).toBe(before.copiedElements + plain.size);
    expect(Array.from(second.data)).toEqual(Array.from(first.data));
    // Outputs come back shared, so feeding one into the next call copies nothing.
    expect(first.shared).toBe(true);
    const dx = await eager.run('conv2dBackpropInput', first, filter, [3, 6, 6, 2]);
    expect(eager.stats().inputCopies).toBe(before.inputCopies + 1);
    expect(dx.shared).toBe(true);
  });

  it("copies conv2d's bias like any input: only when it is not on shared memory", async () => {
    const x = randomUniform([3, 6, 6, 2], { seed: 5, shared: true });
    const filter = randomUniform([3, 3, 2, 4], { seed: 6, shared: true });
    const sharedBias = randomUniform([4], { seed: 7, shared: true });
    const plainBias = randomUniform([4], { seed: 7 });
    const before = eager.stats();
    const withShared = await eager.run('conv2d', x, filter, { bias: sharedBias });
    expect(eager.stats().inputCopies).toBe(before.inputCopies);
    const withPlain = await eager.run('conv2d', x, filter, { bias: plainBias });
    expect(eager.stats().inputCopies).toBe(before.inputCopies + 1);
    expect(eager.stats().copiedElements).toBe(before.copiedElements + 4);
    expect(withPlain.data).toEqual(withShared.data);
    expect(withShared.data).toEqual(conv2d(x, filter, { bias: sharedBias }).data);
  });

  it('shards matMul by output rows, unevenly when the rows do not divide; one row by depth', async () => {
    const before = eager.stats();
    const a = randomUniform([3, 40], { seed: 7, shared: true });
    const b = randomUniform([40, 5], { seed: 8, shared: true });
    expectClose(await eager.run('matMul', a, b), reference.matMul(a, b));
    expect(eager.stats().tasks - before.tasks).toBe(2);
    // One row cannot be split by rows; its b is 200 floats to its 40, so the depth is split.
    const row = randomUniform([1, 40], { seed: 9, shared: true });
    expectClose(await eager.run('matMul', row, b), reference.matMul(row, b));
    expect(eager.stats().tasks - before.tasks).toBe(4);
  });

  it('serves concurrent callers: every call gets its own correct result', async () => {
    const filter = randomUniform([3, 3, 2, 3], { seed: 20, shared: true });
    const inputs = [0, 1, 2, 3, 4, 5].map((i) => randomUniform([3, 7, 7, 2], { seed: 30 + i }));
    const results = await Promise.all(inputs.map((x) => eager.run('conv2d', x, filter)));
    for (const [i, out] of results.entries()) expectClose(out, conv2d(inputs[i]!, filter));
  });

  it('rejects calls after close()', async () => {
    const executor = createWorkerExecutor({ workers: 1 });
    await executor.close();
    await executor.close();
    const x = randomUniform([1, 3, 3, 1], { seed: 1 });
    await expect(executor.run('conv2d', x, x.reshape([3, 3, 1, 1]))).rejects.toThrow(
      'conv2d: the executor is closed',
    );
  });

  it('rejects bad options, naming the function called', () => {
    expect(() => createWorkerExecutor({ workers: 0 })).toThrow(
      'createWorkerExecutor: workers must be a positive integer, got 0',
    );
    expect(() => createWorkerExecutor({ workers: 1.5 })).toThrow(
      /workers must be a positive integer/,
    );
    expect(() => createWorkerExecutor({ inlineFlopThreshold: -1 })).toThrow(/inlineFlopThreshold/);
    expect(() => createExecutor({ workers: 0 })).toThrow(
      'createExecutor: workers must be a positive integer, got 0',
    );
    expect(() => createExecutor({ maxRecycledBytes: -1 })).toThrow(
      'createExecutor: maxRecycledBytes must be a non-negative integer, got -1',
    );
  });
});
