// Central-difference gradient checking, reusable by every ops test.
//
// The scalar checked is loss = sum(dy * f(x)) for a random dy, accumulated in float64, so one
// backward call (given dy) is compared with one numeric gradient. Error budget, for float32 ops:
// - x + epsilon is rounded to float32, so the step actually taken is measured and used as the
//   denominator (no error from the step itself).
// - Outputs that do not depend on the perturbed element are computed identically in both
//   evaluations and cancel exactly; only the few outputs that do depend on it carry float32
//   rounding (half an ulp each, about 6e-8·|y|).
// - For ops linear in the perturbed input (conv, matMul, pooling away from ties, bias, relu away
//   from 0) there is no truncation error at all, so a large step is best: with epsilon = 0.25,
//   |y| ≤ ~10, |dy| ≤ 1 and up to ~100 dependent outputs, the rounding term is at most
//   100 · 2 · 6e-7 / 0.5 ≈ 2.4e-4. Tolerances of atol 1e-3, rtol 1e-3 cover that with room.
// - For smooth nonlinear ops (sigmoid, tanh, softmax) truncation adds epsilon²/6·|f'''|, about
//   2e-5 at epsilon = 1e-2; rounding then gives up to ~10 · 2 · 3e-8 / 2e-2 ≈ 3e-5 per element.

import { createRng, type Tensor } from '@convoy/tensor';
import { expectClose, type Tolerance } from './close.js';

/** sum(dy * y) in float64. */
export function dotLoss(y: Tensor<'float32'>, dy: Tensor<'float32'>): number {
  const yData = y.data;
  const dyData = dy.data;
  let sum = 0;
  for (let i = 0; i < yData.length; i++) sum += yData[i]! * dyData[i]!;
  return sum;
}

export interface NumericGradientOptions {
  /** Step size (before rounding to float32). */
  epsilon?: number;
  /** Check only these element indices (all when omitted). */
  indices?: readonly number[];
  /**
   * For piecewise-smooth functions (relu, max pooling inside a network): a signature of the
   * smooth piece the current input lies on, e.g. the relu masks and the max-pool winners. Across
   * a kink a central difference means nothing, so when the signature at x ± step differs from the
   * one at x the element is retried with the step divided by 4, up to three times. Elements that
   * never settle stay NaN, which fails `expectGradient`.
   */
  piece?: () => ArrayLike<number>;
}

function samePiece(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The central difference at element i, or NaN when the step leaves the current smooth piece. */
function centralDifference(
  loss: () => number,
  values: Float32Array,
  i: number,
  epsilon: number,
  piece: (() => ArrayLike<number>) | undefined,
  basePiece: ArrayLike<number>,
): number {
  const original = values[i]!;
  values[i] = original + epsilon;
  const plus = values[i]! - original; // the step float32 actually took
  const lossPlus = loss();
  const smoothPlus = piece === undefined || samePiece(piece(), basePiece);
  values[i] = original - epsilon;
  const minus = original - values[i]!;
  const lossMinus = loss();
  const smoothMinus = piece === undefined || samePiece(piece(), basePiece);
  values[i] = original;
  return smoothPlus && smoothMinus ? (lossPlus - lossMinus) / (plus + minus) : Number.NaN;
}

/**
 * The central-difference gradient of `loss` with respect to `values` (perturbed in place and
 * restored). Returns a Float64Array the length of `values`; unchecked indices are NaN, and so are
 * elements where a kink could not be stepped around (see `piece`).
 */
export function numericGradient(
  loss: () => number,
  values: Float32Array,
  { epsilon = 1e-2, indices, piece }: NumericGradientOptions = {},
): Float64Array {
  const gradient = new Float64Array(values.length).fill(Number.NaN);
  const check = indices ?? Array.from({ length: values.length }, (_, i) => i);
  const basePiece = piece === undefined ? [] : Array.from(piece());
  for (const i of check) {
    for (let attempt = 0, step = epsilon; attempt < 4 && Number.isNaN(gradient[i]!); attempt++) {
      gradient[i] = centralDifference(loss, values, i, step, piece, basePiece);
      step /= 4;
    }
  }
  return gradient;
}

/** A few indices spread over [0, size), at most `count`, always including both ends. */
export function sampleIndices(size: number, count: number, seed: number): number[] {
  if (size <= count) return Array.from({ length: size }, (_, i) => i);
  const rng = createRng(seed);
  const picked = new Set<number>([0, size - 1]);
  while (picked.size < count) picked.add(rng.int(size));
  return [...picked].sort((a, b) => a - b);
}

export interface GradientCheck extends Tolerance, NumericGradientOptions {
  /** The scalar being differentiated, re-evaluated after each perturbation. */
  loss: () => number;
  /** The input elements to perturb (a tensor's data, perturbed in place and restored). */
  values: Float32Array;
  /** The backward's answer for d(loss)/d(values). */
  analytic: ArrayLike<number>;
}

/** Asserts that an analytic gradient matches central differences on the checked indices. */
export function expectGradient({
  loss,
  values,
  analytic,
  epsilon = 0.25,
  indices,
  piece,
  rtol = 1e-3,
  atol = 1e-3,
}: GradientCheck): void {
  const numeric = numericGradient(loss, values, { epsilon, indices, piece });
  const checked = indices ?? Array.from({ length: values.length }, (_, i) => i);
  const actual = checked.map((i) => analytic[i]!);
  const expected = checked.map((i) => numeric[i]!);
  expectClose(actual, expected, { rtol, atol });
}
