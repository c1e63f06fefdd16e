// Seeded test tensors: uniform values, and values with well-separated magnitudes for ops with
// kinks (max pooling, relu) so a finite-difference step never crosses a kink.

import { createRng, randomUniform, type Shape, sizeOf, Tensor } from '@convoy/tensor';

/** Uniform values in [min, max) (default [-1, 1)) from a seed. */
export function randomTensor(
  shape: Shape,
  seed: number,
  { min = -1, max = 1 }: { min?: number; max?: number } = {},
): Tensor<'float32'> {
  return randomUniform(shape, { min, max, seed });
}

/**
 * Distinct values spaced `spacing` apart, shuffled by a seed, centred on zero and kept at least
 * spacing/2 away from it. Any two differ by at least `spacing`, so a perturbation smaller than
 * spacing/2 never changes which element of a window is the maximum, nor the sign of any element.
 */
export function separatedTensor(shape: Shape, seed: number, spacing = 0.05): Tensor<'float32'> {
  const size = sizeOf(shape);
  const rng = createRng(seed);
  const order = rng.shuffle(Array.from({ length: size }, (_, i) => i));
  const data = new Float32Array(size);
  for (let i = 0; i < size; i++) data[i] = (order[i]! - (size - 1) / 2) * spacing;
  // An odd count would put one value exactly on zero; shift everything by half a step.
  if (size % 2 === 1) for (let i = 0; i < size; i++) data[i] = data[i]! + spacing / 2;
  return new Tensor(data, shape, 'float32');
}
