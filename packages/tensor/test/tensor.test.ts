import { fill, ones, Tensor, tensor, zeros } from '@convoy/tensor';
import { describe, expect, it } from 'vitest';

describe('tensor()', () => {
  it('takes nested arrays and infers the shape', () => {
    const t = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(t.shape).toEqual([2, 3]);
    expect(t.dtype).toBe('float32');
    expect(t.size).toBe(6);
    expect(t.rank).toBe(2);
    expect(Array.from(t.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(t.toArray()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
  });

  it('wraps a typed array of the same dtype without copying', () => {
    const data = new Int32Array([1, 2, 3, 4]);
    const t = tensor(data, [2, 2]);
    expect(t.dtype).toBe('int32');
    expect(t.data).toBe(data);
  });

  it('converts to the requested dtype', () => {
    const t = tensor([1.7, 300], [2], 'uint8');
    expect(t.data).toBeInstanceOf(Uint8Array);
    expect(Array.from(t.data)).toEqual([1, 44]);
  });

  it('makes a rank-0 tensor from a number', () => {
    const t = tensor(5);
    expect(t.shape).toEqual([]);
    expect(t.toArray()).toBe(5);
  });

  it('rejects ragged arrays, a size that does not fit the shape, and unknown dtypes', () => {
    expect(() => tensor([[1, 2], [3]])).toThrow(
      /ragged nested array: expected length 2 at \[1\], got length 1/,
    );
    expect(() => tensor([1, 2, 3], [2, 2])).toThrow(/shape \[2, 2\] needs 4 values, got 3/);
    expect(() => tensor([1], [1], 'float64' as never)).toThrow(
      /dtype must be one of float32, int32, uint8, got float64/,
    );
    expect(() => tensor([1, 2], [-1, -2])).toThrow(/non-negative integers, got \[-1, -2\]/);
  });
});

describe('Tensor', () => {
  it('reshape is a view over the same elements', () => {
    const t = tensor([1, 2, 3, 4, 5, 6], [6]);
    const r = t.reshape([2, -1]);
    expect(r.shape).toEqual([2, 3]);
    r.data[0] = 42;
    expect(t.data[0]).toBe(42);
    expect(() => t.reshape([4, -1])).toThrow(/cannot reshape 6 elements into \[4, -1\]/);
    expect(() => t.reshape([4, 2])).toThrow(
      /cannot reshape 6 elements into \[4, 2\] \(8 elements\)/,
    );
  });

  it('checks that data fits its shape and dtype', () => {
    expect(() => new Tensor(new Float32Array(3), [2, 2])).toThrow(
      /shape \[2, 2\] needs 4 elements, got 3/,
    );
    expect(() => new Tensor(new Float32Array(4) as never, [4], 'int32')).toThrow(
      /dtype int32 does not match data of type float32/,
    );
    expect(() => new Tensor([1, 2] as never, [2])).toThrow(
      /must be a Float32Array, Int32Array or Uint8Array/,
    );
  });

  it('get reads one element by index', () => {
    const t = tensor([
      [1, 2],
      [3, 4],
    ]);
    expect(t.get(1, 0)).toBe(3);
    expect(() => t.get(2, 0)).toThrow(/index 2 out of range for axis 0 of size 2/);
  });

  it('prints like numpy for the textbook matrices', () => {
    expect(
      tensor([
        [31, 27],
        [45, 23],
      ]).toString(),
    ).toBe('[[31. 27.]\n [45. 23.]]');
    expect(
      tensor(
        [
          [3, 4, 0],
          [1, 3, 0],
        ],
        undefined,
        'int32',
      ).toString(),
    ).toBe('[[3 4 0]\n [1 3 0]]');
    expect(tensor([0.5, 0.25, 1]).toString()).toBe('[0.5  0.25 1.  ]');
    expect(
      tensor([
        [1.5, -2],
        [3, 4.125],
      ]).toString(),
    ).toBe('[[ 1.5   -2.   ]\n [ 3.     4.125]]');
    expect(tensor([[[1, 2]], [[3, 4]]]).toString()).toBe('[[[1. 2.]]\n\n [[3. 4.]]]');
  });

  it('summarizes large tensors', () => {
    const text = zeros([2000]).toString();
    expect(text).toBe('[0. 0. 0. ... 0. 0. 0.]');
  });
});

describe('zeros, ones, fill', () => {
  it('fill with a constant in the requested dtype', () => {
    expect(Array.from(zeros([2, 2]).data)).toEqual([0, 0, 0, 0]);
    expect(Array.from(ones([3], { dtype: 'int32' }).data)).toEqual([1, 1, 1]);
    expect(Array.from(fill([2], 7, { dtype: 'uint8' }).data)).toEqual([7, 7]);
  });

  it('allocates on a SharedArrayBuffer when asked', () => {
    const t = zeros([4], { shared: true });
    expect(t.data.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(t.shared).toBe(true);
    expect(zeros([4]).shared).toBe(false);
  });
});
