// Matrix multiply of rank-2 tensors, op(a) · op(b) where op transposes when asked, with its
// gradient beside it: the kernel definition, and the synchronous ops on the active backend.

import { formatShape, type Shape, Tensor } from '@convoy/tensor';
import type { Backend, MatMulGeometry, Range } from './backend.js';
import { activeBackend } from './backend-registry.js';
import { f32, type KernelDefinition, upTo } from './kernel.js';
import { matMulSplit } from './matmul-split.js';
import type { OutputOptions } from './output.js';
import { runKernel } from './run.js';
import { expectFloat32, expectRank } from './validate.js';

export interface MatMulOptions extends OutputOptions {
  /** Use aᵀ (a is stored [k, m]). Default false. */
  transposeA?: boolean;
  /** Use bᵀ (b is stored [n, k]). Default false. */
  transposeB?: boolean;
}

/** Validates op(a) · op(b) and returns its sizes. */
export function matMulGeometry(
  aShape: Shape,
  bShape: Shape,
  options: MatMulOptions = {},
  op = 'matMul',
): MatMulGeometry {
  expectRank(aShape, 2, op, 'a', '[rows, columns]');
  expectRank(bShape, 2, op, 'b', '[rows, columns]');
  const transposeA = options.transposeA ?? false;
  const transposeB = options.transposeB ?? false;
  const [m, k] = transposeA ? [aShape[1]!, aShape[0]!] : [aShape[0]!, aShape[1]!];
  const [bInner, n] = transposeB ? [bShape[1]!, bShape[0]!] : [bShape[0]!, bShape[1]!];
  if (k !== bInner) {
    throw new RangeError(
      `${op}: inner dimensions must match: a ${formatShape(aShape)}${transposeA ? 'ᵀ' : ''} has ${k} columns, b ${formatShape(bShape)}${transposeB ? 'ᵀ' : ''} has ${bInner} rows`,
    );
  }
  return { m, k, n, transposeA, transposeB };
}

type MatMulArgs = [a: Tensor<'float32'>, b: Tensor<'float32'>, options?: MatMulOptions];

/**
 * The product, split over rows of the result, its columns, or the shared dimension (summed), as
 * matMulSplit finds cheapest for the number of workers.
 */
export const matMulKernel: KernelDefinition<MatMulArgs, Tensor<'float32'>, MatMulGeometry> = {
  name: 'matMul',
  plan([a, b, options = {}], workers) {
    const op = 'matMul';
    expectFloat32(a, op, 'a');
    expectFloat32(b, op, 'b');
    const g = matMulGeometry(a.shape, b.shape, options);
    const axis = workers > 1 ? matMulSplit(g, workers) : 'rows';
    const allRows = upTo(g.m);
    return {
      op,
      inputs: { a: a.data, b: b.data },
      outputs: {
        out: { size: g.m * g.n, given: options.out, shards: axis === 'depth' ? 'sum' : 'part' },
      },
      geometry: g,
      flops: 2 * g.m * g.k * g.n,
      items: axis === 'rows' ? g.m : axis === 'columns' ? g.n : g.k,
      whole: allRows,
      ...(axis !== 'rows' && {
        shard: (range: Range) => ({ geometry: { ...g, [axis]: range }, range: allRows }),
      }),
    };
  },
  compute(backend, arrays, g, rows) {
    backend.matMul(f32(arrays.a), f32(arrays.b), f32(arrays.out), g, rows);
  },
  result: (call, { out }) =>
    new Tensor(out as Float32Array, [call.geometry.m, call.geometry.n], 'float32'),
};

/** op(a) · op(b) for rank-2 tensors: [m, k] · [k, n] -> [m, n]. */
export function matMul(
  a: Tensor<'float32'>,
  b: Tensor<'float32'>,
  options: MatMulOptions = {},
): Tensor<'float32'> {
  return runKernel(activeBackend(), matMulKernel, [a, b, options]);
}

export interface MatMulGradients {
  /** dLoss/da, shaped like a. */
  da: Tensor<'float32'>;
  /** dLoss/db, shaped like b. */
  db: Tensor<'float32'>;
}

/**
 * Gradients of c = op(a) · op(b) given dy = dLoss/dc. With d(op a) = dy · op(b)ᵀ and
 * d(op b) = op(a)ᵀ · dy, a transposed operand's gradient is the transpose of those, which is
 * again one matMul with the transpose flags rearranged (no explicit transposes are made).
 */
export function matMulBackward(
  dy: Tensor<'float32'>,
  a: Tensor<'float32'>,
  b: Tensor<'float32'>,
  options: MatMulOptions = {},
): MatMulGradients {
  return matMulBackwardWith(activeBackend(), dy, a, b, options);
}

/** matMulBackward computed by a given backend. */
export function matMulBackwardWith(
  backend: Backend,
  dy: Tensor<'float32'>,
  a: Tensor<'float32'>,
  b: Tensor<'float32'>,
  options: MatMulOptions = {},
): MatMulGradients {
  const op = 'matMulBackward';
  expectFloat32(dy, op, 'dy');
  const g = matMulGeometry(a.shape, b.shape, options, op);
  if (dy.rank !== 2 || dy.shape[0] !== g.m || dy.shape[1] !== g.n) {
    throw new RangeError(
      `${op}: dy must have the matMul output shape ${formatShape([g.m, g.n])}, got ${formatShape(dy.shape)} (a ${formatShape(a.shape)}, b ${formatShape(b.shape)})`,
    );
  }
  const { transposeA, transposeB } = g;
  const da = transposeA
    ? runKernel(backend, matMulKernel, [b, dy, { transposeA: transposeB, transposeB: true }])
    : runKernel(backend, matMulKernel, [dy, b, { transposeB: !transposeB }]);
  const db = transposeB
    ? runKernel(backend, matMulKernel, [dy, a, { transposeA: true, transposeB: transposeA }])
    : runKernel(backend, matMulKernel, [a, dy, { transposeA: !transposeA }]);
  return { da, db };
}
