// The loop Adam spends its time in, and the one switch that swaps it: this package depends on
// nothing but tensors, so it ships a plain-JavaScript loop; a package with faster kernels (the
// WebAssembly one in @convoy/ops, which @convoy/layers installs for fit) can provide the same
// arithmetic faster. A replacement must give the same numbers bit for bit.

/** The step's constants: stepSize already holds the bias corrections (lr·√(1−β₂ᵗ)/(1−β₁ᵗ)). */
export interface AdamLoopCoefficients {
  stepSize: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}

/** Updates param, m and v in place from grad (all the same length). */
export type AdamLoop = (
  param: Float32Array,
  grad: Float32Array,
  m: Float32Array,
  v: Float32Array,
  coefficients: AdamLoopCoefficients,
) => void;

/**
 * The plain Adam update over one parameter (1.6M weights a step for the textbook's first model).
 * Each moment is rounded to float32 once, as storing and reading it back would, and kept in a
 * local rather than re-read from its array: the same numbers as the amsgrad loop with vhat = v,
 * in fewer memory operations.
 */
export const plainAdamLoop: AdamLoop = (param, grad, m, v, coefficients) => {
  const { stepSize, beta1, beta2, epsilon } = coefficients;
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
};

let current: AdamLoop = plainAdamLoop;

/** Makes every Adam optimizer use `loop` (undefined: back to the plain loop). */
export function setAdamLoop(loop: AdamLoop | undefined): void {
  current = loop ?? plainAdamLoop;
}

/** The loop Adam optimizers use now. */
export function adamLoop(): AdamLoop {
  return current;
}
