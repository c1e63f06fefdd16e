// Shapes as Keras sees them: the batch axis is unknown (`null`, printed `None`) until data
// arrives. Also the Keras-worded errors for inputs a layer cannot take, which name the layer and
// the shapes involved.

/** A shape whose first axis (the batch) may be unknown. */
export type SymbolicShape = readonly (number | null)[];

/** Python's `str(tuple)`: `(None, 28, 28, 32)`, and `(None,)` for one axis. */
export function formatKerasShape(shape: SymbolicShape): string {
  const items = shape.map((dim) => (dim === null ? 'None' : String(dim)));
  return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
}

/** The same shape with the batch axis replaced by `null`. */
export function withUnknownBatch(shape: readonly number[]): SymbolicShape {
  return [null, ...shape.slice(1)];
}

function incompatible(layerName: string, detail: string): RangeError {
  return new RangeError(
    `Input 0 of layer "${layerName}" is incompatible with the layer: ${detail}`,
  );
}

/** Keras's InputSpec(ndim=...) check. */
export function expectNdim(layerName: string, shape: SymbolicShape, ndim: number): void {
  if (shape.length !== ndim) {
    throw incompatible(
      layerName,
      `expected ndim=${ndim}, found ndim=${shape.length}. Full shape received: ${formatKerasShape(shape)}`,
    );
  }
}

/** Keras's InputSpec(min_ndim=...) check. */
export function expectMinNdim(layerName: string, shape: SymbolicShape, minNdim: number): void {
  if (shape.length < minNdim) {
    throw incompatible(
      layerName,
      `expected min_ndim=${minNdim}, found ndim=${shape.length}. Full shape received: ${formatKerasShape(shape)}`,
    );
  }
}

/** Keras's InputSpec(axes={-1: value}) check, for a layer already built for `expected`. */
export function expectLastAxis(layerName: string, shape: SymbolicShape, expected: number): void {
  const last = shape[shape.length - 1];
  if (last !== expected) {
    throw incompatible(
      layerName,
      `expected axis -1 of input shape to have value ${expected}, but received input with shape ${formatKerasShape(shape)}`,
    );
  }
}

/** Keras's check of a whole model's input against the shape it was built for. */
export function expectShape(
  layerName: string,
  actual: readonly number[],
  expected: SymbolicShape,
): void {
  const matches =
    actual.length === expected.length &&
    expected.every((dim, axis) => dim === null || dim === actual[axis]);
  if (!matches) {
    throw incompatible(
      layerName,
      `expected shape=${formatKerasShape(expected)}, found shape=${formatKerasShape(actual)}`,
    );
  }
}

/** Every axis after the batch must be a known positive size. */
export function concreteFeatureShape(layerName: string, shape: SymbolicShape): number[] {
  const features = shape.slice(1);
  if (features.some((dim) => dim === null || !Number.isSafeInteger(dim) || dim <= 0)) {
    throw new RangeError(
      `layer "${layerName}": every axis after the batch must be a known positive size, got ${formatKerasShape(shape)}`,
    );
  }
  return features as number[];
}
