// Which algorithm a convolution runs: conv2d's `algorithm` option and the geometry that carries it
// to the kernels (and, through a worker executor's tasks, to the workers). 'direct' is the direct
// convolution — im2col and the GEMM, or the direct kernel for 1–3 output channels — and
// 'winograd' Winograd's minimal filtering F(m×m, 3×3), which does 2.25–4× fewer multiply-adds for
// 3×3 filters at stride 1 and dilation 1 and only there. 'auto' (the default) lets the backend
// choose by the per-example geometry alone (sizes, channels, filter, stride, padding, dilation),
// never by the batch size or range, the executor or the number of workers, so every shard and
// every data-parallel replica computes each example the same way. The reference backend, the
// oracle, always runs its plain loops.

import { formatShape } from '@convoy/tensor';
import type { WindowGeometry } from './geometry.js';

export type ConvAlgorithm = 'auto' | 'direct' | 'winograd';

const ALGORITHMS: readonly ConvAlgorithm[] = ['auto', 'direct', 'winograd'];

/** A convolution's window geometry and the algorithm asked for (absent: 'auto'). */
export interface ConvGeometry extends WindowGeometry {
  algorithm?: ConvAlgorithm;
}

/** Whether Winograd's F(m×m, 3×3) computes this convolution: 3×3, stride 1, dilation 1. */
export function winogradApplies(g: WindowGeometry): boolean {
  return (
    g.filterHeight === 3 &&
    g.filterWidth === 3 &&
    g.strideHeight === 1 &&
    g.strideWidth === 1 &&
    g.dilationHeight === 1 &&
    g.dilationWidth === 1
  );
}

/** The `algorithm` option checked against the geometry; 'winograd' needs what it computes. */
export function checkedAlgorithm(
  algorithm: unknown,
  g: WindowGeometry,
  op: string,
  filterShape: readonly number[],
): ConvAlgorithm {
  if (algorithm === undefined) return 'auto';
  if (!ALGORITHMS.includes(algorithm as ConvAlgorithm)) {
    throw new RangeError(
      `${op}: algorithm must be 'auto', 'direct' or 'winograd', got ${JSON.stringify(algorithm)}`,
    );
  }
  if (algorithm === 'winograd' && !winogradApplies(g)) {
    throw new RangeError(
      `${op}: algorithm 'winograd' needs a 3×3 filter with strides 1 and dilations 1, got filter ${formatShape(filterShape)}, strides [${g.strideHeight}, ${g.strideWidth}], dilations [${g.dilationHeight}, ${g.dilationWidth}]`,
    );
  }
  return algorithm as ConvAlgorithm;
}
