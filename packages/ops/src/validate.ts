// Argument checks shared by the Tensor-level ops, so every op rejects bad input with the same kind
// of message: the op's name, what was expected, and what came.

import { assertValidShape, formatShape, type Shape, type Tensor } from '@convoy/tensor';

/** Throws unless `value` is a float32 Tensor (the only dtype the kernels compute in). */
export function expectFloat32(
  value: Tensor,
  op: string,
  name: string,
): asserts value is Tensor<'float32'> {
  if (value === null || typeof value !== 'object' || !('dtype' in value)) {
    throw new TypeError(`${op}: ${name} must be a Tensor, got ${String(value)}`);
  }
  if (value.dtype !== 'float32') {
    throw new TypeError(
      `${op}: ${name} must be float32, got ${value.dtype} of shape ${formatShape(value.shape)}`,
    );
  }
}

/** Throws unless `shape` has `rank` axes; `axes` names them for the message. */
export function expectRank(
  shape: Shape,
  rank: number,
  op: string,
  name: string,
  axes: string,
): void {
  assertValidShape(shape, op);
  if (shape.length !== rank) {
    throw new RangeError(
      `${op}: ${name} must be rank ${rank} ${axes}, got shape ${formatShape(shape)}`,
    );
  }
}

/** Throws unless two shapes are equal. */
export function expectSameShape(
  actual: Shape,
  expected: Shape,
  op: string,
  actualName: string,
  expectedName: string,
): void {
  if (actual.length !== expected.length || actual.some((dim, i) => dim !== expected[i])) {
    throw new RangeError(
      `${op}: ${actualName} must have the shape of ${expectedName} ${formatShape(expected)}, got ${formatShape(actual)}`,
    );
  }
}
