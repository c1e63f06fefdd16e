// The accuracy the convolution kernels are held to, per output, against the exact (float64) result:
// |result − exact| ≤ bound · Σ|term|, where Σ|term| is the sum of the absolute values of the
// products the output adds up (for the forward pass, (|x| ⋆ |w|) at that output). Measured on the
// textbook's layers by test/wasm/measure-accuracy.ts (worst output of each, both builds):
//   direct:      2.3e-7          F(2×2, 3×3): 6.9e-7          F(4×4, 3×3): 1.5e-5
// and on the tests' odd shapes (winograd.test.ts) F(2×2) reached 2.4e-6 on a 1×1 output's filter
// gradient (one product per tap: no sum to average the transforms' rounding over).
// The bounds below leave a factor of 2–3 over the worst seen.

import { expect } from 'vitest';

export const ERROR_BOUND = {
  direct: 1e-6,
  winograd2: 5e-6,
  winograd4: 4e-5,
} as const;

/** Σ|term| of an output, or of the best float32 stand-in for it. */
export type Magnitudes = ArrayLike<number>;

/**
 * Asserts |actual − exact| ≤ bound · magnitude (+ 1e-30 for outputs that sum nothing) over
 * [start, end), reporting the worst output and its ratio when it fails.
 */
export function expectWithinBound(
  actual: ArrayLike<number>,
  exact: ArrayLike<number>,
  magnitudes: Magnitudes,
  bound: number,
  start = 0,
  end = actual.length,
): void {
  let worst = -1;
  let worstRatio = 0;
  for (let i = start; i < end; i++) {
    const error = Math.abs(actual[i]! - exact[i]!);
    const ratio = error / (magnitudes[i]! + 1e-30);
    // NaN must fail: compare the negation.
    if (!(ratio <= worstRatio)) {
      worst = i;
      worstRatio = ratio;
    }
  }
  if (worst !== -1 && !(worstRatio <= bound)) {
    expect.fail(
      `output ${worst}: got ${actual[worst]}, exact ${exact[worst]}, error ${Math.abs(actual[worst]! - exact[worst]!)} = ${worstRatio.toExponential(2)} of Σ|term| ${magnitudes[worst]} (bound ${bound})`,
    );
  }
}
