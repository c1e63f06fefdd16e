// Adam's per-weight update in plain loops: the oracle for the WebAssembly one, and what runs where
// WebAssembly SIMD does not. The same arithmetic as @convoy/optim's built-in Adam loop (doubles,
// each moment rounded to float32 as stored).

import type { AdamCoefficients } from '../adam.js';

export function adamUpdateReference(
  param: Float32Array,
  grad: Float32Array,
  m: Float32Array,
  v: Float32Array,
  { stepSize, beta1, beta2, epsilon }: AdamCoefficients,
): void {
  const oneMinusBeta1 = 1 - beta1;
  const oneMinusBeta2 = 1 - beta2;
  for (let i = 0; i < param.length; i++) {
    const g = grad[i]!;
    const first = Math.fround(beta1 * m[i]! + oneMinusBeta1 * g);
    const second = Math.fround(beta2 * v[i]! + oneMinusBeta2 * g * g);
    m[i] = first;
    v[i] = second;
    param[i] = param[i]! - (stepSize * first) / (Math.sqrt(second) + epsilon);
  }
}
