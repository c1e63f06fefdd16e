// Approximate equality for arrays and tensors, reporting the worst element when it fails, so a
// failing kernel test says where it is wrong and by how much (not just "arrays differ").

import type { Tensor } from '@convoy/tensor';
import { expect } from 'vitest';
import { type Magnitudes, worstOfBound } from './winograd-bound.js';

export interface Tolerance {
  /** Allowed error relative to |expected|. */
  rtol?: number;
  /** Allowed absolute error, on top of the relative one. */
  atol?: number;
}

type Numbers = ArrayLike<number> | Tensor;

function valuesOf(value: Numbers): ArrayLike<number> {
  return 'data' in value && 'shape' in value ? value.data : (value as ArrayLike<number>);
}

/**
 * Asserts |actual - expected| <= atol + rtol * |expected| element by element (numpy's allclose).
 * Shapes are compared too when both sides are tensors.
 */
export function expectClose(
  actual: Numbers,
  expected: Numbers,
  { rtol = 1e-5, atol = 1e-6 }: Tolerance = {},
): void {
  if ('shape' in actual && 'shape' in expected) {
    expect([...actual.shape]).toEqual([...expected.shape]);
  }
  const a = valuesOf(actual);
  const e = valuesOf(expected);
  expect(a.length, 'element count').toBe(e.length);
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < a.length; i++) {
    const error = Math.abs(a[i]! - e[i]!);
    const allowed = atol + rtol * Math.abs(e[i]!);
    // NaN in either side must fail: `error > allowed` is false for NaN, so test the negation.
    const excess = error - allowed;
    if (!(error <= allowed) && (worst === -1 || !(excess <= worstExcess))) {
      worst = i;
      worstExcess = excess;
    }
  }
  if (worst !== -1) {
    expect.fail(
      `element ${worst}: got ${a[worst]}, expected ${e[worst]} (error ${Math.abs(a[worst]! - e[worst]!)}, allowed ${atol} + ${rtol}·|expected|)`,
    );
  }
}

/**
 * A filter gradient (or any sum over the batch) computed in another order than `expected`: a
 * worker executor's shards each sum their items and the partials are added, and with Winograd
 * each shard also transforms its own partial back to taps. Each result is off the exact sum by up to 6.3e-6
 * of the tensor's largest value (test/wasm/measure-accuracy.ts, F(4×4), the textbook's layers),
 * so two such results may differ by twice that: allowed 2e-5 of the largest |expected|, plus
 * 1e-5 relative.
 */
export function expectSummedClose(actual: Numbers, expected: Numbers): void {
  const values = valuesOf(expected);
  let scale = 0;
  for (let i = 0; i < values.length; i++) scale = Math.max(scale, Math.abs(values[i]!));
  expectClose(actual, expected, { rtol: 1e-5, atol: 2e-5 * scale });
}

/**
 * Asserts |actual − exact| ≤ bound · magnitude over [start, end) (see winograd-bound.ts),
 * reporting the worst output and its ratio when it fails.
 */
export function expectWithinBound(
  actual: ArrayLike<number>,
  exact: ArrayLike<number>,
  magnitudes: Magnitudes,
  bound: number,
  start = 0,
  end = actual.length,
): void {
  const { index, ratio } = worstOfBound(actual, exact, magnitudes, start, end);
  if (!(ratio <= bound)) {
    expect.fail(
      `output ${index}: got ${actual[index]}, exact ${exact[index]}, error ${Math.abs(actual[index]! - exact[index]!)} = ${ratio.toExponential(2)} of Σ|term| ${magnitudes[index]} (bound ${bound})`,
    );
  }
}
