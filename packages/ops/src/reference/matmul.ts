// Plain-loop matrix multiply: the oracle for the fast and sharded ones. Row-major storage; a
// transposed operand is read through swapped strides rather than copied.

import type { MatMulGeometry, Range } from '../backend.js';

/**
 * out[i, j] = sum over p of op(a)[i, p] * op(b)[p, j], for the rows i in range, the columns j in
 * g.columns and the p in g.depth (each default: all).
 */
export function matMulReference(
  a: Float32Array,
  b: Float32Array,
  out: Float32Array,
  g: MatMulGeometry,
  rows: Range,
): void {
  const { m, k, n } = g;
  const columns = g.columns ?? { start: 0, end: n };
  const depth = g.depth ?? { start: 0, end: k };
  // op(a)[i, p] = a[i * aRowStep + p * aInnerStep]; a is stored [m, k], or [k, m] when transposed.
  const aRowStep = g.transposeA ? 1 : k;
  const aInnerStep = g.transposeA ? m : 1;
  // op(b)[p, j] = b[p * bInnerStep + j * bColStep]; b is stored [k, n], or [n, k] when transposed.
  const bInnerStep = g.transposeB ? 1 : n;
  const bColStep = g.transposeB ? k : 1;
  const width = Math.max(0, columns.end - columns.start);
  const sums = new Float64Array(width);
  for (let i = rows.start; i < rows.end; i++) {
    sums.fill(0);
    for (let p = depth.start; p < depth.end; p++) {
      const aValue = a[i * aRowStep + p * aInnerStep]!;
      const bBase = p * bInnerStep + columns.start * bColStep;
      for (let j = 0; j < width; j++) sums[j]! += aValue * b[bBase + j * bColStep]!;
    }
    out.set(sums, i * n + columns.start);
  }
}
