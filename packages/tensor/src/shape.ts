// Shape arithmetic and validation shared by every package.

export type Shape = readonly number[];

export function sizeOf(shape: Shape): number {
  let size = 1;
  for (const dim of shape) size *= dim;
  return size;
}

export function formatShape(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

export function assertValidShape(shape: Shape, context: string): void {
  if (!Array.isArray(shape)) {
    throw new TypeError(
      `${context}: shape must be an array of non-negative integers, got ${String(shape)}`,
    );
  }
  for (const dim of shape) {
    if (!Number.isSafeInteger(dim) || dim < 0) {
      throw new RangeError(
        `${context}: shape must hold non-negative integers, got ${formatShape(shape)}`,
      );
    }
  }
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((dim, i) => dim === b[i]);
}

/** Row-major strides: the step in elements along each axis. */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let step = 1;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    strides[axis] = step;
    step *= shape[axis]!;
  }
  return strides;
}

/**
 * Resolves one -1 in a requested shape against a known size, as numpy's reshape does.
 * Throws when the sizes cannot match.
 */
export function inferShape(requested: Shape, size: number, context: string): number[] {
  const unknown = requested.filter((dim) => dim === -1).length;
  if (unknown > 1) {
    throw new RangeError(`${context}: only one dimension may be -1, got ${formatShape(requested)}`);
  }
  const known = requested.filter((dim) => dim !== -1);
  assertValidShape(known, context);
  const knownSize = sizeOf(known);
  if (unknown === 1) {
    if (knownSize === 0 || size % knownSize !== 0) {
      throw new RangeError(
        `${context}: cannot reshape ${size} elements into ${formatShape(requested)}`,
      );
    }
    return requested.map((dim) => (dim === -1 ? size / knownSize : dim));
  }
  if (knownSize !== size) {
    throw new RangeError(
      `${context}: cannot reshape ${size} elements into ${formatShape(requested)} (${knownSize} elements)`,
    );
  }
  return [...requested];
}
