// The Tensor: a shape, a dtype, and contiguous row-major elements in a typed array.
// Tensors are plain values left to the garbage collector: there is nothing to dispose.

import { type DType, dtypeOfArray, type TypedArrayFor } from './dtype.js';
import { formatTensor } from './format.js';
import {
  assertValidShape,
  formatShape,
  inferShape,
  type Shape,
  sizeOf,
  stridesOf,
} from './shape.js';
import { isShared } from './storage.js';

/** Nested arrays of numbers, as `toArray` returns and `tensor` accepts. */
export type NestedArray = number | NestedArray[];

export class Tensor<D extends DType = DType> {
  readonly shape: readonly number[];
  readonly dtype: D;
  readonly data: TypedArrayFor[D];

  /** Wraps `data` without copying; its length must equal the product of `shape`. */
  constructor(data: TypedArrayFor[D], shape: Shape, dtype?: D) {
    const inferred = dtypeOfArray(data);
    if (inferred === undefined) {
      throw new TypeError('Tensor: data must be a Float32Array, Int32Array or Uint8Array');
    }
    if (dtype !== undefined && dtype !== inferred) {
      throw new TypeError(`Tensor: dtype ${dtype} does not match data of type ${inferred}`);
    }
    assertValidShape(shape, 'Tensor');
    if (sizeOf(shape) !== data.length) {
      throw new RangeError(
        `Tensor: shape ${formatShape(shape)} needs ${sizeOf(shape)} elements, got ${data.length}`,
      );
    }
    this.shape = Object.freeze([...shape]);
    this.dtype = inferred as D;
    this.data = data;
  }

  get size(): number {
    return this.data.length;
  }

  get rank(): number {
    return this.shape.length;
  }

  /** Whether the elements sit on a SharedArrayBuffer (and so can go to workers without a copy). */
  get shared(): boolean {
    return isShared(this.data);
  }

  /** A view with another shape over the same elements (one dimension may be -1). No copy. */
  reshape(shape: Shape): Tensor<D> {
    return new Tensor(this.data, inferShape(shape, this.size, 'reshape'), this.dtype);
  }

  /** A new tensor with its own copy of the elements. */
  clone(): Tensor<D> {
    return new Tensor(this.data.slice() as TypedArrayFor[D], this.shape, this.dtype);
  }

  /** The elements as nested arrays (a plain number for a rank-0 tensor). */
  toArray(): NestedArray {
    if (this.rank === 0) return this.data[0]!;
    const strides = stridesOf(this.shape);
    const build = (axis: number, offset: number): NestedArray[] => {
      const length = this.shape[axis]!;
      const out = new Array<NestedArray>(length);
      for (let i = 0; i < length; i++) {
        const at = offset + i * strides[axis]!;
        out[i] = axis === this.rank - 1 ? this.data[at]! : build(axis + 1, at);
      }
      return out;
    };
    return build(0, 0);
  }

  /** numpy-like text: `[[31. 27.]\n [45. 23.]]`. */
  toString(): string {
    return formatTensor(this.data, this.shape, this.dtype);
  }

  /** The element at a multi-index, for tests and debugging (not for inner loops). */
  get(...index: number[]): number {
    if (index.length !== this.rank) {
      throw new RangeError(`get: expected ${this.rank} indices, got ${index.length}`);
    }
    const strides = stridesOf(this.shape);
    let offset = 0;
    index.forEach((i, axis) => {
      const dim = this.shape[axis]!;
      if (!Number.isInteger(i) || i < 0 || i >= dim) {
        throw new RangeError(`get: index ${i} out of range for axis ${axis} of size ${dim}`);
      }
      offset += i * strides[axis]!;
    });
    return this.data[offset]!;
  }
}

export function isTensor(value: unknown): value is Tensor {
  return value instanceof Tensor;
}
