// Max and average pooling on NHWC activations, each forward with its backward beside it. Padding
// follows TensorFlow: padded pixels never win a max and are not counted in an average. The ops
// validate here and compute on the active backend's pooling kernels (WebAssembly SIMD for the
// common 2x2 / stride 2 / unpadded case where the runtime has it; the reference loops otherwise).

import { formatShape, type Shape, Tensor } from '@convoy/tensor';
import type { Backend } from './backend.js';
import { activeBackend } from './backend-registry.js';
import {
  outputShape,
  type Padding,
  type Pair,
  pair,
  type WindowGeometry,
  windowGeometry,
} from './geometry.js';
import { type OutputOptions, outputStorage } from './output.js';
import { expectFloat32, expectRank } from './validate.js';

export interface Pool2dOptions extends OutputOptions {
  /** Window size, [height, width] or one number for both. Default 2. */
  poolSize?: Pair;
  /** Step between windows. Default: the pool size (non-overlapping windows). */
  strides?: Pair;
  /** 'valid' (default), 'same' or explicit [[top, bottom], [left, right]]. */
  padding?: Padding;
}

/** Validates a pooling of an NHWC input and returns its geometry (outChannels = inChannels). */
export function pool2dGeometry(
  xShape: Shape,
  options: Pool2dOptions = {},
  op = 'pool2d',
): WindowGeometry {
  expectRank(xShape, 4, op, 'input', '[batch, height, width, channels]');
  const poolSize = options.poolSize ?? 2;
  const [poolHeight, poolWidth] = pair(poolSize, op, 'poolSize', ` (input ${formatShape(xShape)})`);
  const g = windowGeometry({
    op,
    xShape,
    filterHeight: poolHeight,
    filterWidth: poolWidth,
    outChannels: xShape[3]!,
    strides: options.strides ?? poolSize,
    dilations: 1,
    padding: options.padding ?? 'valid',
    windowShape: [poolHeight, poolWidth],
  });
  // A window lying wholly in the padding would have no pixel to take a max or mean of.
  // ('same' never pads a whole window; only explicit padding can.)
  if (
    Math.max(g.padTop, g.padBottom) >= poolHeight ||
    Math.max(g.padLeft, g.padRight) >= poolWidth
  ) {
    throw new RangeError(
      `${op}: padding ${JSON.stringify(options.padding)} must be smaller than the pool window ${formatShape([poolHeight, poolWidth])} on every side: input ${formatShape(xShape)}`,
    );
  }
  return g;
}

type PoolForwardKernel = 'maxPool2d' | 'avgPool2d';

function pooledWith(
  backend: Backend,
  kernel: PoolForwardKernel,
  x: Tensor<'float32'>,
  options: Pool2dOptions,
): Tensor<'float32'> {
  expectFloat32(x, kernel, 'input');
  const g = pool2dGeometry(x.shape, options, kernel);
  const shape = outputShape(g);
  const size = shape[0] * shape[1] * shape[2] * shape[3];
  const out = outputStorage(options.out, size, kernel, { inputs: [x.data] });
  backend[kernel](x.data, undefined, out, g, { start: 0, end: g.batch });
  return new Tensor(out, shape, 'float32');
}

function expectPoolGradient(
  op: string,
  dy: Tensor<'float32'>,
  g: WindowGeometry,
  xShape: Shape,
): void {
  const expected = outputShape(g);
  if (dy.rank !== 4 || dy.shape.some((dim, i) => dim !== expected[i])) {
    throw new RangeError(
      `${op}: dy must have the pooled output shape ${formatShape(expected)}, got ${formatShape(dy.shape)} (input ${formatShape(xShape)}, window ${formatShape([g.filterHeight, g.filterWidth])})`,
    );
  }
}

/** maxPool2d computed by a given backend (the public maxPool2d uses the active one). */
export function maxPool2dWith(
  backend: Backend,
  x: Tensor<'float32'>,
  options: Pool2dOptions = {},
): Tensor<'float32'> {
  return pooledWith(backend, 'maxPool2d', x, options);
}

/** maxPool2dBackward computed by a given backend. */
export function maxPool2dBackwardWith(
  backend: Backend,
  dy: Tensor<'float32'>,
  x: Tensor<'float32'>,
  options: Pool2dOptions = {},
): Tensor<'float32'> {
  const op = 'maxPool2dBackward';
  expectFloat32(dy, op, 'dy');
  expectFloat32(x, op, 'input');
  const g = pool2dGeometry(x.shape, options, op);
  expectPoolGradient(op, dy, g, x.shape);
  const dx = outputStorage(options.out, x.size, op, { inputs: [dy.data, x.data] });
  backend.maxPool2dBackward(dy.data, x.data, dx, g, { start: 0, end: g.batch });
  return new Tensor(dx, x.shape, 'float32');
}

/** avgPool2d computed by a given backend. */
export function avgPool2dWith(
  backend: Backend,
  x: Tensor<'float32'>,
  options: Pool2dOptions = {},
): Tensor<'float32'> {
  return pooledWith(backend, 'avgPool2d', x, options);
}

/** avgPool2dBackward computed by a given backend. */
export function avgPool2dBackwardWith(
  backend: Backend,
  dy: Tensor<'float32'>,
  xShape: Shape,
  options: Pool2dOptions = {},
): Tensor<'float32'> {
  const op = 'avgPool2dBackward';
  expectFloat32(dy, op, 'dy');
  const g = pool2dGeometry(xShape, options, op);
  expectPoolGradient(op, dy, g, xShape);
  const size = g.batch * g.inHeight * g.inWidth * g.inChannels;
  const dx = outputStorage(options.out, size, op, { inputs: [dy.data] });
  backend.avgPool2dBackward(dy.data, undefined, dx, g, { start: 0, end: g.batch });
  return new Tensor(dx, xShape, 'float32');
}

/** The maximum of each window, per channel. */
export function maxPool2d(x: Tensor<'float32'>, options: Pool2dOptions = {}): Tensor<'float32'> {
  return maxPool2dWith(activeBackend(), x, options);
}

/** Gradient of maxPool2d: each window's dy goes to the input pixel that won its max. */
export function maxPool2dBackward(
  dy: Tensor<'float32'>,
  x: Tensor<'float32'>,
  options: Pool2dOptions = {},
): Tensor<'float32'> {
  return maxPool2dBackwardWith(activeBackend(), dy, x, options);
}

/** The mean of each window's real (unpadded) pixels, per channel. */
export function avgPool2d(x: Tensor<'float32'>, options: Pool2dOptions = {}): Tensor<'float32'> {
  return avgPool2dWith(activeBackend(), x, options);
}

/** Gradient of avgPool2d: each window's dy is shared equally by the real pixels it averaged. */
export function avgPool2dBackward(
  dy: Tensor<'float32'>,
  xShape: Shape,
  options: Pool2dOptions = {},
): Tensor<'float32'> {
  return avgPool2dBackwardWith(activeBackend(), dy, xShape, options);
}
