// The sharding plan: how calls split into ranges and when they stay inline, and what the kernels'
// plans tell it (operations, items, the matrix product's split axis).

import { zeros } from '@convoy/tensor';
import { describe, expect, it } from 'vitest';
import { INLINE_FLOP_THRESHOLD, shardCount, splitRange } from '../../src/executor/plan.js';
import { kernelTable } from '../../src/index.js';
import { matMulSplit } from '../../src/matmul-split.js';

describe('splitRange', () => {
  it('splits evenly, giving the remainder to the first ranges', () => {
    expect(splitRange(32, 2)).toEqual([
      { start: 0, end: 16 },
      { start: 16, end: 32 },
    ]);
    expect(splitRange(3, 2)).toEqual([
      { start: 0, end: 2 },
      { start: 2, end: 3 },
    ]);
    expect(splitRange(10, 4)).toEqual([
      { start: 0, end: 3 },
      { start: 3, end: 6 },
      { start: 6, end: 8 },
      { start: 8, end: 10 },
    ]);
  });

  it('never makes more ranges than items, nor an empty one', () => {
    expect(splitRange(2, 5)).toEqual([
      { start: 0, end: 1 },
      { start: 1, end: 2 },
    ]);
    expect(splitRange(1, 1)).toEqual([{ start: 0, end: 1 }]);
  });
});

describe('shardCount', () => {
  it('runs inline (0) below the threshold and with nothing to split', () => {
    expect(shardCount(INLINE_FLOP_THRESHOLD - 1, 32, 2, INLINE_FLOP_THRESHOLD)).toBe(0);
    expect(shardCount(1e9, 0, 2, INLINE_FLOP_THRESHOLD)).toBe(0);
  });

  it('gives one shard per worker from the threshold on, capped by the items', () => {
    expect(shardCount(INLINE_FLOP_THRESHOLD, 32, 2, INLINE_FLOP_THRESHOLD)).toBe(2);
    expect(shardCount(1e9, 32, 8, INLINE_FLOP_THRESHOLD)).toBe(8);
    expect(shardCount(1e9, 3, 8, INLINE_FLOP_THRESHOLD)).toBe(3);
    expect(shardCount(10, 3, 2, 0)).toBe(2);
  });

  it('sends work above the threshold to a single worker too (it keeps the caller free)', () => {
    expect(shardCount(1e9, 1, 4, INLINE_FLOP_THRESHOLD)).toBe(1);
    expect(shardCount(1e9, 32, 1, INLINE_FLOP_THRESHOLD)).toBe(1);
  });
});

describe("the kernels' plans", () => {
  it('conv2d counts two operations per multiply-add and splits over the batch', () => {
    // The textbook's second conv layer on a batch of 32: 28x28x32 -> 64, 3x3, same.
    const x = zeros([32, 28, 28, 32]);
    const filter = zeros([3, 3, 32, 64]);
    const call = kernelTable.conv2d.plan([x, filter, { padding: 'same' }], 2);
    expect(call.flops).toBe(2 * 32 * 28 * 28 * 64 * 3 * 3 * 32);
    expect(call.items).toBe(32);
  });

  it('matMul splits over the axis matMulSplit picks, summing only a depth split', () => {
    const a = zeros([32, 12544]);
    const w = zeros([12544, 128]);
    const byDepth = kernelTable.matMul.plan([a, w], 2);
    expect(byDepth.flops).toBe(2 * 32 * 12544 * 128);
    expect(byDepth.items).toBe(12544);
    expect(byDepth.outputs.out?.shards).toBe('sum');
    expect(byDepth.shard?.({ start: 0, end: 6272 }).geometry).toMatchObject({
      depth: { start: 0, end: 6272 },
    });
    // One thread never splits: the same product by rows, written in parts.
    const alone = kernelTable.matMul.plan([a, w], 1);
    expect(alone.items).toBe(32);
    expect(alone.outputs.out?.shards).toBe('part');
    expect(alone.shard).toBeUndefined();
  });
});

describe('matMulSplit', () => {
  const plain = { transposeA: false, transposeB: false };
  it('splits the dense layer products of the textbook model 1 where each worker copies least', () => {
    // x·W: W (12544×128) is 50× x, and a plain W is cut by depth contiguously.
    expect(matMulSplit({ m: 32, k: 12544, n: 128, ...plain }, 2)).toBe('depth');
    // dy·Wᵀ: W again, stored [n, k], so a range of output columns is a block of its rows.
    expect(matMulSplit({ m: 32, k: 128, n: 12544, transposeA: false, transposeB: true }, 2)).toBe(
      'columns',
    );
    // xᵀ·dy: 12544 output rows over a tiny b.
    expect(matMulSplit({ m: 12544, k: 32, n: 128, transposeA: true, transposeB: false }, 2)).toBe(
      'rows',
    );
  });

  it('keeps rows for square products and never cuts a transposed b by depth', () => {
    expect(matMulSplit({ m: 1024, k: 1024, n: 1024, ...plain }, 2)).toBe('rows');
    expect(matMulSplit({ m: 2, k: 5000, n: 3, transposeA: false, transposeB: true }, 2)).not.toBe(
      'depth',
    );
  });
});
