// Size arithmetic shared by the convolution and pooling layers, for shape inference before any
// data exists (the ops compute the same numbers from real shapes at run time).

export type PairArg = number | readonly [number, number];

export function pairOf(value: PairArg, layer: string, name: string): [number, number] {
  const [a, b] =
    typeof value === 'number' ? [value, value] : Array.isArray(value) ? value : [undefined];
  if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b) || a! <= 0 || b! <= 0) {
    throw new RangeError(
      `${layer}: ${name} must be a positive integer or a pair of them, got ${JSON.stringify(value)}`,
    );
  }
  return [a!, b!];
}

/** TensorFlow's output size: ceil(n / s) for 'same', floor((n - k) / s) + 1 for 'valid'. */
export function windowOutputSize(
  size: number,
  effectiveKernel: number,
  stride: number,
  padding: 'same' | 'valid',
): number {
  if (padding === 'same') return Math.ceil(size / stride);
  return Math.floor((size - effectiveKernel) / stride) + 1;
}
