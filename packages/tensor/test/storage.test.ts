import { allocate, canShareMemory, isShared, shapesEqual, sizeOf, stridesOf } from '@convoy/tensor';
import { describe, expect, it } from 'vitest';

describe('allocate', () => {
  it('allocates zeroed typed arrays of each dtype', () => {
    expect(allocate('float32', 3)).toEqual(new Float32Array(3));
    expect(allocate('int32', 2)).toBeInstanceOf(Int32Array);
    expect(allocate('uint8', 2)).toBeInstanceOf(Uint8Array);
  });

  it('puts shared storage on a SharedArrayBuffer that a worker could use in place', () => {
    expect(canShareMemory()).toBe(true);
    const data = allocate('float32', 8, { shared: true });
    expect(data.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(data.buffer.byteLength).toBe(32);
    expect(isShared(data)).toBe(true);
    expect(isShared(allocate('float32', 8))).toBe(false);
  });

  it('rejects bad sizes', () => {
    expect(() => allocate('float32', -1)).toThrow(/size must be a non-negative integer, got -1/);
    expect(() => allocate('float32', 1.5)).toThrow(/got 1.5/);
  });
});

describe('shape helpers', () => {
  it('compute sizes, strides and equality', () => {
    expect(sizeOf([2, 3, 4])).toBe(24);
    expect(sizeOf([])).toBe(1);
    expect(stridesOf([2, 3, 4])).toEqual([12, 4, 1]);
    expect(shapesEqual([1, 2], [1, 2])).toBe(true);
    expect(shapesEqual([1, 2], [2, 1])).toBe(false);
  });
});
