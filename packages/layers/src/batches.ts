// Cutting batches out of whole datasets: rows gathered by index into fresh tensors (on shared
// memory when worker threads will read them, so it copies nothing).

import {
  allocate,
  type DType,
  formatShape,
  sizeOf,
  Tensor,
  type TypedArrayFor,
} from '@convoy/tensor';

/**
 * One batch of an epoch, copied: the rows of `source` (along axis 0) listed at positions
 * [start, end) of the epoch's `order`, in that order.
 */
export function gatherBatch<D extends DType>(
  source: Tensor<D>,
  order: ArrayLike<number>,
  start: number,
  end: number,
  shared = false,
): Tensor<D> {
  const rowSize = sizeOf(source.shape.slice(1));
  const count = end - start;
  const data = allocate(source.dtype, count * rowSize, { shared }) as TypedArrayFor[D];
  for (let i = 0; i < count; i++) {
    const row = order[start + i]!;
    const from = row * rowSize;
    (data as Float32Array).set(
      (source.data as Float32Array).subarray(from, from + rowSize),
      i * rowSize,
    );
  }
  return new Tensor(data, [count, ...source.shape.slice(1)], source.dtype);
}

/** Rows [start, end) as a view, no copy. */
export function sliceRows<D extends DType>(
  source: Tensor<D>,
  start: number,
  end: number,
): Tensor<D> {
  const rowSize = sizeOf(source.shape.slice(1));
  const data = source.data.subarray(start * rowSize, end * rowSize) as TypedArrayFor[D];
  return new Tensor(data, [end - start, ...source.shape.slice(1)], source.dtype);
}

export function range(n: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}

export function checkBatchSize(value: unknown, context: string): number {
  const batchSize = value ?? 32;
  if (!Number.isSafeInteger(batchSize) || (batchSize as number) <= 0) {
    throw new RangeError(`${context}: batchSize must be a positive integer, got ${String(value)}`);
  }
  return batchSize as number;
}

export function checkSameRows(x: Tensor, y: Tensor, context: string): void {
  if (y.rank === 0 || x.shape[0] !== y.shape[0]) {
    throw new RangeError(
      `${context}: x and y must hold the same number of examples (axis 0), got x ${formatShape(x.shape)} and y ${formatShape(y.shape)}`,
    );
  }
}
