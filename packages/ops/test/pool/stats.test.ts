// Where the Node pool sends work: inline below the threshold, one task per shard above it, and
// no copy of inputs that already sit on shared memory.

import { randomUniform } from '@convoy/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { conv2d, reference } from '../../src/index.js';
import { createPool } from '../../src/pool/index.js';
import { expectClose } from '../helpers/close.js';

describe('node pool work placement', () => {
  const pools = [
    createPool({ workers: 2 }),
    createPool({ workers: 2, inlineFlopThreshold: 0 }),
  ] as const;
  const [defaults, eager] = pools;
  afterAll(() => Promise.all(pools.map((pool) => pool.close())));

  it('defaults to the available cores', async () => {
    const { availableParallelism } = await import('node:os');
    const pool = createPool({ inlineFlopThreshold: 0 });
    expect(pool.workers).toBe(availableParallelism());
    await pool.close();
  });

  it('runs a call below INLINE_FLOP_THRESHOLD inline and a large one on every worker', async () => {
    const small = randomUniform([2, 5, 5, 3], { seed: 1, shared: true });
    const smallFilter = randomUniform([3, 3, 3, 4], { seed: 2, shared: true });
    await defaults.conv2d(small, smallFilter);
    expect(defaults.stats()).toMatchObject({ inlineCalls: 1, shardedCalls: 0, tasks: 0 });

    // 2·8·16·16·16·9·16 ≈ 9.4 MFLOP, above the 8 MFLOP threshold: one shard per worker.
    const x = randomUniform([8, 16, 16, 16], { seed: 3, shared: true });
    const filter = randomUniform([3, 3, 16, 16], { seed: 4, shared: true });
    const out = await defaults.conv2d(x, filter, { padding: 'same' });
    expect(defaults.stats()).toMatchObject({ inlineCalls: 1, shardedCalls: 1, tasks: 2 });
    expectClose(out, reference.conv2d(x, filter, { padding: 'same' }));
  });

  it('copies inputs onto shared memory only when they are not already there', async () => {
    const before = eager.stats();
    const shared = randomUniform([3, 6, 6, 2], { seed: 5, shared: true });
    const plain = randomUniform([3, 6, 6, 2], { seed: 5 });
    const filter = randomUniform([3, 3, 2, 2], { seed: 6, shared: true });
    const first = await eager.conv2d(shared, filter);
    expect(eager.stats().inputCopies).toBe(before.inputCopies);
    const second = await eager.conv2d(plain, filter);
    expect(eager.stats().inputCopies).toBe(before.inputCopies + 1);
    expect(eager.stats().copiedElements).toBe(before.copiedElements + plain.size);
    expect(Array.from(second.data)).toEqual(Array.from(first.data));
    // Outputs come back shared, so feeding one into the next call copies nothing.
    expect(first.shared).toBe(true);
    const dx = await eager.conv2dBackpropInput(first, filter, [3, 6, 6, 2]);
    expect(eager.stats().inputCopies).toBe(before.inputCopies + 1);
    expect(dx.shared).toBe(true);
  });

  it('shards matMul by output rows, unevenly when the rows do not divide; one row by depth', async () => {
    const before = eager.stats();
    const a = randomUniform([3, 40], { seed: 7, shared: true });
    const b = randomUniform([40, 5], { seed: 8, shared: true });
    expectClose(await eager.matMul(a, b), reference.matMul(a, b));
    expect(eager.stats().tasks - before.tasks).toBe(2);
    // One row cannot be split by rows; its b is 200 floats to its 40, so the depth is split.
    const row = randomUniform([1, 40], { seed: 9, shared: true });
    expectClose(await eager.matMul(row, b), reference.matMul(row, b));
    expect(eager.stats().tasks - before.tasks).toBe(4);
  });

  it('serves concurrent callers: every call gets its own correct result', async () => {
    const filter = randomUniform([3, 3, 2, 3], { seed: 20, shared: true });
    const inputs = [0, 1, 2, 3, 4, 5].map((i) => randomUniform([3, 7, 7, 2], { seed: 30 + i }));
    const results = await Promise.all(inputs.map((x) => eager.conv2d(x, filter)));
    for (const [i, out] of results.entries()) expectClose(out, conv2d(inputs[i]!, filter));
  });

  it('rejects calls after close()', async () => {
    const pool = createPool({ workers: 1 });
    await pool.close();
    await pool.close();
    const x = randomUniform([1, 3, 3, 1], { seed: 1 });
    await expect(pool.conv2d(x, x.reshape([3, 3, 1, 1]))).rejects.toThrow(
      'conv2d: the worker pool is closed',
    );
  });

  it('rejects bad options', () => {
    expect(() => createPool({ workers: 0 })).toThrow(
      'createPool: workers must be a positive integer, got 0',
    );
    expect(() => createPool({ workers: 1.5 })).toThrow(/workers must be a positive integer/);
    expect(() => createPool({ inlineFlopThreshold: -1 })).toThrow(/inlineFlopThreshold/);
  });
});
