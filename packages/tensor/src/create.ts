// Ways to make tensors: from nested arrays or typed arrays, and filled with a constant.

import { assertDType, type DType, dtypeOfArray, type TypedArrayFor } from './dtype.js';
import { assertValidShape, formatShape, type Shape, sizeOf } from './shape.js';
import { type AllocateOptions, allocate } from './storage.js';
import { type NestedArray, Tensor } from './tensor.js';

type Values = NestedArray | ArrayLike<number>;

/** The shape of nested arrays; throws when they are ragged or hold something other than numbers. */
function shapeOfNested(values: NestedArray): number[] {
  const shape: number[] = [];
  let level: NestedArray = values;
  while (Array.isArray(level)) {
    shape.push(level.length);
    if (level.length === 0) break;
    level = level[0]!;
  }
  const check = (node: NestedArray, axis: number, path: string): void => {
    if (axis === shape.length) {
      if (typeof node !== 'number') {
        throw new TypeError(
          `tensor: expected a number at ${path || 'the top'}, got ${typeof node}`,
        );
      }
      return;
    }
    if (!Array.isArray(node) || node.length !== shape[axis]) {
      const got = Array.isArray(node) ? `length ${node.length}` : typeof node;
      throw new RangeError(
        `tensor: ragged nested array: expected length ${shape[axis]} at ${path || 'the top'}, got ${got}`,
      );
    }
    node.forEach((child, i) => {
      check(child, axis + 1, `${path}[${i}]`);
    });
  };
  check(values, 0, '');
  return shape;
}

function flatten(values: NestedArray, out: number[]): void {
  if (Array.isArray(values)) for (const v of values) flatten(v, out);
  else out.push(values);
}

/**
 * A tensor from nested arrays, a flat array or a typed array. A typed array of the requested dtype
 * is wrapped without a copy; anything else is copied. The shape defaults to the nesting (or to
 * `[length]` for a flat array); the dtype defaults to the typed array's, else float32.
 */
export function tensor<D extends DType = 'float32'>(
  values: Values,
  shape?: Shape,
  dtype?: D,
): Tensor<D> {
  const typedDType = dtypeOfArray(values);
  const resolvedDType = (dtype ?? typedDType ?? 'float32') as D;
  assertDType(resolvedDType, 'tensor');

  let flat: ArrayLike<number>;
  let nestedShape: number[];
  if (typedDType !== undefined || !Array.isArray(values)) {
    if (typeof values === 'number') {
      flat = [values];
      nestedShape = [];
    } else {
      flat = values as ArrayLike<number>;
      nestedShape = [flat.length];
    }
  } else {
    nestedShape = shapeOfNested(values);
    const out: number[] = [];
    flatten(values, out);
    flat = out;
  }

  const finalShape = shape ?? nestedShape;
  assertValidShape(finalShape, 'tensor');
  if (sizeOf(finalShape) !== flat.length) {
    throw new RangeError(
      `tensor: shape ${formatShape(finalShape)} needs ${sizeOf(finalShape)} values, got ${flat.length}`,
    );
  }
  if (typedDType === resolvedDType) {
    return new Tensor(values as TypedArrayFor[D], finalShape, resolvedDType);
  }
  const data = allocate(resolvedDType, flat.length);
  for (let i = 0; i < flat.length; i++) data[i] = flat[i]!;
  return new Tensor(data, finalShape, resolvedDType);
}

export interface CreateOptions<D extends DType> extends AllocateOptions {
  dtype?: D;
}

/** A tensor of `shape` with every element equal to `value`. */
export function fill<D extends DType = 'float32'>(
  shape: Shape,
  value: number,
  options: CreateOptions<D> = {},
): Tensor<D> {
  assertValidShape(shape, 'fill');
  const dtype = (options.dtype ?? 'float32') as D;
  assertDType(dtype, 'fill');
  const data = allocate(dtype, sizeOf(shape), options);
  if (value !== 0) data.fill(value);
  return new Tensor(data, shape, dtype);
}

export function zeros<D extends DType = 'float32'>(
  shape: Shape,
  options: CreateOptions<D> = {},
): Tensor<D> {
  return fill(shape, 0, options);
}

export function ones<D extends DType = 'float32'>(
  shape: Shape,
  options: CreateOptions<D> = {},
): Tensor<D> {
  return fill(shape, 1, options);
}
