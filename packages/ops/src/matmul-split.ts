// Which axis of a matrix product a split call cuts across workers. Each worker copies its share of
// the operand the split cuts and all of the other into its kernel's memory, which is what these
// products cost beyond their multiply-adds, so the split is the one that copies least.

import type { MatMulGeometry } from './backend.js';

/** A depth split is taken only when it copies at most this share of the best exact split's data. */
const DEPTH_SPLIT_MARGIN = 0.8;

/** Which axis of a matrix product a worker executor splits across workers. */
export type MatMulSplit = 'rows' | 'columns' | 'depth';

/**
 * The split that copies the least data into each worker, which is what these products cost beyond
 * their multiply-adds. Each worker copies its share of the operand the split cuts and all of the
 * other: rows cut a (and copy all of b); columns cut b, but only a transposed b stores a column
 * range contiguously; depth cuts both (contiguous for a plain b) and each shard writes a whole
 * partial result that is then added up. For the dense layer of the textbook's model 1 this picks
 * depth for x·W (32×12544 · 12544×128: b is 50× a), columns for dy·Wᵀ (its b is W again) and rows
 * for xᵀ·dy (12544 rows, a tiny b); square products keep rows.
 */
export function matMulSplit(g: MatMulGeometry, workers: number): MatMulSplit {
  const { m, k, n } = g;
  const costs: [MatMulSplit, number][] = [
    ['rows', (m / workers) * k + k * n],
    ['columns', g.transposeB ? m * k + (k * n) / workers : Number.POSITIVE_INFINITY],
    [
      'depth',
      g.transposeB
        ? Number.POSITIVE_INFINITY
        : (m * k) / (g.transposeA ? workers : 1) + (k * n) / workers + m * n * workers,
    ],
  ];
  let best = costs[0]!;
  for (const candidate of costs) if (candidate[1] < best[1]) best = candidate;
  // Rows and columns give each element exactly as one thread computes it; a depth split adds
  // partial sums in another order, so it must save a clear fifth of the copying to be chosen.
  if (best[0] === 'depth' && best[1] > DEPTH_SPLIT_MARGIN * Math.min(costs[0]![1], costs[1]![1])) {
    return costs[0]![1] <= costs[1]![1] ? 'rows' : 'columns';
  }
  return best[0];
}
