// Adam's per-weight update in plain loops over a range: the oracle of the WebAssembly kernel, what
// runs where WebAssembly SIMD does not, and the only plain Adam loop in Convoy (@convoy/optim's
// Adam calls the adamUpdate op). Each moment is rounded to float32 once, as storing and reading it
// back would, and kept in a local rather than re-read from its array.

import type { AdamCoefficients } from '../adam-coefficients.js';
import type { Range } from '../backend.js';

export function adamUpdateReference(
  param: Float32Array,
  grad: Float32Array,
  m: Float32Array,
  v: Float32Array,
  { stepSize, beta1, beta2, epsilon }: AdamCoefficients,
  range: Range,
): void {
  const oneMinusBeta1 = 1 - beta1;
  const oneMinusBeta2 = 1 - beta2;
  for (let i = range.start; i < range.end; i++) {
    const g = grad[i]!;
    const first = Math.fround(beta1 * m[i]! + oneMinusBeta1 * g);
    const second = Math.fround(beta2 * v[i]! + oneMinusBeta2 * g * g);
    m[i] = first;
    v[i] = second;
    param[i] = param[i]! - (stepSize * first) / (Math.sqrt(second) + epsilon);
  }
}
