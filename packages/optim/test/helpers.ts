// Test helpers: float32-ulp comparisons and the quadratic loss that Keras's own docstrings use.

import { type Tensor, tensor } from '@convoy/tensor';
import { expect } from 'vitest';
import type { Optimizer } from '../src/index.js';

/** The spacing of float32 numbers near `x`. */
export function float32Ulp(x: number): number {
  if (x === 0) return 2 ** -149;
  return 2 ** (Math.floor(Math.log2(Math.abs(x))) - 23);
}

/** float32 results may differ from a float64 hand computation by rounding: allow 2 ulps. */
export function expectFloat32Close(actual: ArrayLike<number>, expected: readonly number[]): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((want, i) => {
    const got = actual[i]!;
    const tolerance = 2 * float32Ulp(want);
    if (!(Math.abs(got - want) <= tolerance)) {
      throw new Error(`element ${i}: got ${got}, expected ${want} (±${tolerance})`);
    }
  });
}

/** Steps `optimizer` on loss = w^2 / 2 (so grad = w), as in Keras's docstrings; returns w after each step. */
export function quadraticSteps(optimizer: Optimizer, start: number, steps: number): number[] {
  const param: Tensor<'float32'> = tensor([start]);
  const values: number[] = [];
  for (let i = 0; i < steps; i++) {
    optimizer.step([{ param, grad: tensor([param.data[0]!]) }]);
    values.push(param.data[0]!);
  }
  return values;
}
