// Mini-batches for training: seeded shuffles and batch iteration over samples along axis 0.
// Like Keras, the last batch is partial when the sample count is not a multiple of batchSize.
// Public API for loops of one's own (the README's first example); fit does not use it — the
// layers' data-parallel engine gathers each batch's rows from the shared training set itself —
// and image folders' seeded split uses shuffledIndices.

import {
  allocate,
  canShareMemory,
  createRng,
  type DType,
  formatShape,
  Tensor,
  type TypedArray,
  type TypedArrayFor,
} from '@convoy/tensor';

/** A permutation of 0..n-1, the same for the same seed on every platform. */
export function shuffledIndices(n: number, seed: number): Int32Array {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new RangeError(`shuffledIndices: n must be a non-negative integer, got ${n}`);
  }
  const indices = new Int32Array(n);
  for (let i = 0; i < n; i++) indices[i] = i;
  return createRng(seed).shuffle(indices);
}

export interface BatchOptions {
  /** Samples per batch; default 32 (as Keras). */
  batchSize?: number;
  /** Visit samples in a seeded random order; needs `seed`. Default false. */
  shuffle?: boolean;
  /** Seed of the shuffle. Pass a different one each epoch (e.g. `seed + epoch`) for fresh orders. */
  seed?: number;
  /**
   * Allocate each batch on a SharedArrayBuffer so a worker pool can use it without copying.
   * Default: true wherever SharedArrayBuffer exists (Node; cross-origin-isolated pages).
   */
  shared?: boolean;
}

export interface Batch<DX extends DType, DY extends DType> {
  x: Tensor<DX>;
  /** Present when labels were given. */
  y: Tensor<DY> | undefined;
  /** Which samples (rows of the full x) this batch holds. */
  indices: Int32Array;
  /** 0-based position of this batch in the epoch. */
  batchIndex: number;
}

/** How many batches `batches` yields for `sampleCount` samples. */
export function batchCount(sampleCount: number, batchSize: number): number {
  return Math.ceil(sampleCount / batchSize);
}

/**
 * Iterates over (x, y) in batches along axis 0. Each batch is a fresh copy, so holding on to one
 * (or handing it to a worker) is safe while the iteration goes on.
 */
export function* batches<DX extends DType, DY extends DType = 'int32'>(
  x: Tensor<DX>,
  y?: Tensor<DY>,
  options: BatchOptions = {},
): Generator<Batch<DX, DY>> {
  const { batchSize = 32, shuffle = false, seed, shared = canShareMemory() } = options;
  if (x.rank === 0) throw new RangeError('batches: x needs a sample axis, got a scalar');
  const sampleCount = x.shape[0]!;
  if (y !== undefined && (y.rank === 0 || y.shape[0] !== sampleCount)) {
    throw new RangeError(
      `batches: x and y need the same number of samples, got x ${formatShape(x.shape)} and y ${formatShape(y.shape)}`,
    );
  }
  if (!Number.isSafeInteger(batchSize) || batchSize <= 0) {
    throw new RangeError(`batches: batchSize must be a positive integer, got ${batchSize}`);
  }
  if (shuffle && seed === undefined) {
    throw new RangeError('batches: shuffle needs a seed (every random thing in Convoy is seeded)');
  }
  const order = shuffle ? shuffledIndices(sampleCount, seed!) : null;
  const allocateBatch = batchAllocator(shared);
  for (let start = 0, batchIndex = 0; start < sampleCount; start += batchSize, batchIndex++) {
    const end = Math.min(start + batchSize, sampleCount);
    const indices = new Int32Array(end - start);
    for (let i = 0; i < indices.length; i++) indices[i] = order ? order[start + i]! : start + i;
    yield {
      x: gather(x, indices, allocateBatch, order === null),
      y: y === undefined ? undefined : gather(y, indices, allocateBatch, order === null),
      indices,
      batchIndex,
    };
  }
}

/**
 * Hands out typed arrays for batches. Shared ones are carved from SharedArrayBuffer blocks of
 * about 4 MiB: allocating one SharedArrayBuffer per batch cost more than copying the batch.
 * Regions never overlap and are never reused, so a batch stays valid as long as it is held.
 */
function batchAllocator(shared: boolean) {
  const blockBytes = 4 * 1024 * 1024;
  const blocks = new Map<DType, { data: TypedArray; used: number }>();
  return <D extends DType>(dtype: D, size: number): TypedArrayFor[D] => {
    if (!shared) return allocate(dtype, size);
    let block = blocks.get(dtype);
    if (block === undefined || block.used + size > block.data.length) {
      const bytesPerElement = allocate(dtype, 0).BYTES_PER_ELEMENT;
      const length = Math.max(size, Math.floor(blockBytes / bytesPerElement));
      block = { data: allocate(dtype, length, { shared: true }), used: 0 };
      blocks.set(dtype, block);
    }
    const region = block.data.subarray(block.used, block.used + size) as TypedArrayFor[D];
    block.used += size;
    return region;
  };
}

/** Copies rows `indices` of t; `contiguous` means they are consecutive, so one copy does it. */
function gather<D extends DType>(
  t: Tensor<D>,
  indices: Int32Array,
  allocateBatch: ReturnType<typeof batchAllocator>,
  contiguous: boolean,
): Tensor<D> {
  const rowSize = t.shape[0] === 0 ? 0 : t.size / t.shape[0]!;
  const out = allocateBatch(t.dtype, indices.length * rowSize);
  if (contiguous && indices.length > 0) {
    const first = indices[0]!;
    out.set(t.data.subarray(first * rowSize, (first + indices.length) * rowSize));
  } else {
    for (let i = 0; i < indices.length; i++) {
      const row = indices[i]!;
      out.set(t.data.subarray(row * rowSize, (row + 1) * rowSize), i * rowSize);
    }
  }
  return new Tensor(out, [indices.length, ...t.shape.slice(1)], t.dtype);
}
