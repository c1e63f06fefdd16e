// Exact comparison for kernels whose arithmetic reproduces the reference's: every element the same
// float32, -0 and +0 told apart, any NaN equal to any NaN (payloads are not part of the contract).

import { expect } from 'vitest';

/** Indices where two arrays differ as float32 values (NaN matching NaN). */
function differences(actual: Float32Array, expected: Float32Array): number[] {
  const found: number[] = [];
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (!(Object.is(a, e) || (Number.isNaN(a) && Number.isNaN(e)))) found.push(i);
  }
  return found;
}

export function expectSameFloats(actual: Float32Array, expected: Float32Array): void {
  expect(actual.length).toBe(expected.length);
  const differing = differences(actual, expected);
  const shown = differing
    .slice(0, 5)
    .map((i) => `[${i}] ${actual[i]} vs ${expected[i]}`)
    .join(', ');
  expect(differing, `${differing.length} elements differ: ${shown}`).toEqual([]);
}
