// Comparison of a WebAssembly kernel's output with the reference's over a range: inside the range
// the values must agree to 1e-5 relative; outside it the output must be untouched (the caller
// pre-fills it with NaN), because a worker shard may only write its own part.

import { expect } from 'vitest';
import { expectClose } from '../helpers/close.js';

function maxAbs(values: Float32Array): number {
  let max = 0;
  for (const value of values) max = Math.max(max, Math.abs(value));
  return max;
}

/**
 * Asserts actual == expected (1e-5 relative, with an absolute floor of 1e-6 of the largest
 * magnitude for sums that cancel to nearly zero) on [start, end) and NaN elsewhere.
 */
export function expectRangeMatches(
  actual: Float32Array,
  expected: Float32Array,
  start: number,
  end: number,
): void {
  const inside = expected.subarray(start, end);
  expectClose(actual.subarray(start, end), inside, {
    rtol: 1e-5,
    atol: 1e-6 * Math.max(1, maxAbs(inside)),
  });
  const outside = [...actual.subarray(0, start), ...actual.subarray(end)];
  expect(
    outside.filter((value) => !Number.isNaN(value)),
    'elements outside the range were written',
  ).toEqual([]);
}

export function nanArray(length: number): Float32Array {
  return new Float32Array(length).fill(Number.NaN);
}
