// Turning dataset arrays into what a model eats: float32 NHWC images scaled to [0, 1], int32
// labels, and row selections (first n, or any indices) that keep images and labels together.

import { allocate, type DType, formatShape, Tensor, type TypedArrayFor } from '@convoy/tensor';
import type { ImageSplit } from './fashion-mnist.js';

export interface ToImageTensorOptions {
  /** Divide by 255 so pixels lie in [0, 1] (the textbook's `x / 255.0`). Default true. */
  normalize?: boolean;
  /** Allocate on a SharedArrayBuffer so worker threads can read it without a copy. Default false. */
  shared?: boolean;
}

/**
 * uint8 images [n, h, w] or [n, h, w, c] to float32 NHWC [n, h, w, c] (c = 1 for grayscale),
 * optionally scaled to [0, 1]. Each value is `x / 255` rounded once to float32, as numpy's
 * float64 `x / 255.0` followed by Keras's cast to float32.
 */
export function toImageTensor(
  images: Tensor,
  options: ToImageTensorOptions = {},
): Tensor<'float32'> {
  const { normalize = true, shared = false } = options;
  if (images.rank !== 3 && images.rank !== 4) {
    throw new RangeError(
      `toImageTensor: images must be rank 3 [n, height, width] or rank 4 [n, height, width, channels], got shape ${formatShape(images.shape)}`,
    );
  }
  const shape = images.rank === 3 ? [...images.shape, 1] : [...images.shape];
  const out = allocate('float32', images.size, { shared });
  const source = images.data;
  if (normalize && images.dtype === 'uint8') {
    // A 256-entry table holds the same float32 values as dividing each pixel, at a lookup's cost.
    const scaled = new Float32Array(256);
    for (let v = 0; v < 256; v++) scaled[v] = v / 255;
    for (let i = 0; i < source.length; i++) out[i] = scaled[source[i]!]!;
  } else if (normalize) {
    for (let i = 0; i < source.length; i++) out[i] = source[i]! / 255;
  } else {
    out.set(source);
  }
  return new Tensor(out, shape, 'float32');
}

/** Labels of any integer dtype to int32 [n]. */
export function toLabelTensor(labels: Tensor, options: { shared?: boolean } = {}): Tensor<'int32'> {
  if (labels.rank !== 1) {
    throw new RangeError(
      `toLabelTensor: labels must be rank 1 [n], got shape ${formatShape(labels.shape)}`,
    );
  }
  const out = allocate('int32', labels.size, { shared: options.shared ?? false });
  out.set(labels.data);
  return new Tensor(out, labels.shape, 'int32');
}

function rowsOf(t: Tensor, op: string): { count: number; rowSize: number } {
  if (t.rank === 0) throw new RangeError(`${op}: needs a tensor with a sample axis, got a scalar`);
  const count = t.shape[0]!;
  return { count, rowSize: count === 0 ? 0 : t.size / count };
}

/** The first `n` rows (along axis 0) as a view: no copy, shares storage with `t`. */
export function take<D extends DType>(t: Tensor<D>, n: number): Tensor<D> {
  const { count, rowSize } = rowsOf(t, 'take');
  if (!Number.isSafeInteger(n) || n < 0 || n > count) {
    throw new RangeError(`take: n must be an integer in [0, ${count}], got ${n}`);
  }
  const data = t.data.subarray(0, n * rowSize) as TypedArrayFor[D];
  return new Tensor(data, [n, ...t.shape.slice(1)], t.dtype);
}

/** The rows at `indices` (along axis 0), copied into a new tensor. */
export function gatherRows<D extends DType>(
  t: Tensor<D>,
  indices: ArrayLike<number>,
  options: { shared?: boolean } = {},
): Tensor<D> {
  const { count, rowSize } = rowsOf(t, 'gatherRows');
  const out = allocate(t.dtype, indices.length * rowSize, { shared: options.shared ?? false });
  for (let i = 0; i < indices.length; i++) {
    const row = indices[i]!;
    if (!Number.isInteger(row) || row < 0 || row >= count) {
      throw new RangeError(
        `gatherRows: index ${row} at position ${i} is out of range for ${count} rows`,
      );
    }
    out.set(t.data.subarray(row * rowSize, (row + 1) * rowSize), i * rowSize);
  }
  return new Tensor(out, [indices.length, ...t.shape.slice(1)], t.dtype);
}

/**
 * Part of a split, images and labels together: the first `n` samples (views, no copy), or the
 * samples at `indices` (copies).
 */
export function subset(split: ImageSplit, selection: number | ArrayLike<number>): ImageSplit {
  if (typeof selection === 'number') {
    return { images: take(split.images, selection), labels: take(split.labels, selection) };
  }
  return {
    images: gatherRows(split.images, selection),
    labels: gatherRows(split.labels, selection),
  };
}
