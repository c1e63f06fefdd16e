// Max and average pooling on NHWC activations, each forward with its backward beside it. Padding
// follows TensorFlow: padded pixels never win a max and are not counted in an average. Each is a
// kernel definition (kernel.ts) and a synchronous op on the active backend's pooling kernels
// (WebAssembly SIMD for the common 2x2 / stride 2 / unpadded case where the runtime has it; the
// reference loops otherwise).

import { formatShape, type Shape, sizeOf, Tensor } from '@convoy/tensor';
import { activeBackend } from './backend-registry.js';
import {
  outputShape,
  type Padding,
  type Pair,
  pair,
  type WindowGeometry,
  windowGeometry,
} from './geometry.js';
import { f32, type KernelDefinition, upTo } from './kernel.js';
import type { OutputOptions } from './output.js';
import { runKernel } from './run.js';
import { expectFloat32, expectRank } from './validate.js';

export interface PoolingOptions extends OutputOptions {
  /** Window size, [height, width] or one number for both. Default 2. */
  poolSize?: Pair;
  /** Step between windows. Default: the pool size (non-overlapping windows). */
  strides?: Pair;
  /** 'valid' (default), 'same' or explicit [[top, bottom], [left, right]]. */
  padding?: Padding;
}

/** Validates a pooling of an NHWC input and returns its geometry (outChannels = inChannels). */
export function poolingGeometry(
  xShape: Shape,
  options: PoolingOptions = {},
  op = 'pooling',
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

type PoolingArgs = [x: Tensor<'float32'>, options?: PoolingOptions];

/** A window's work: one compare or add per pixel the window covers. */
function poolingFlops(g: WindowGeometry): number {
  return g.batch * g.outHeight * g.outWidth * g.outChannels * g.filterHeight * g.filterWidth;
}

/** A pooling forward (max or mean of each window), split over the batch. */
function forwardKernel(
  name: 'maxPool2d' | 'avgPool2d',
): KernelDefinition<PoolingArgs, Tensor<'float32'>, WindowGeometry> {
  return {
    name,
    plan([x, options = {}]) {
      expectFloat32(x, name, 'input');
      const g = poolingGeometry(x.shape, options, name);
      return {
        op: name,
        inputs: { x: x.data },
        outputs: { out: { size: sizeOf(outputShape(g)), given: options.out, shards: 'part' } },
        geometry: g,
        flops: poolingFlops(g),
        items: g.batch,
        whole: upTo(g.batch),
      };
    },
    compute(backend, a, g, batch) {
      backend[name](f32(a.x), f32(a.out), g, batch);
    },
    result: (call, { out }) =>
      new Tensor(out as Float32Array, outputShape(call.geometry), 'float32'),
  };
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

export const maxPool2dKernel = forwardKernel('maxPool2d');
export const avgPool2dKernel = forwardKernel('avgPool2d');

/** The max-pool gradient: each window's dy to its winning pixel, split over the batch. */
export const maxPool2dBackwardKernel: KernelDefinition<
  [dy: Tensor<'float32'>, x: Tensor<'float32'>, options?: PoolingOptions],
  Tensor<'float32'>,
  WindowGeometry
> = {
  name: 'maxPool2dBackward',
  plan([dy, x, options = {}]) {
    const op = 'maxPool2dBackward';
    expectFloat32(dy, op, 'dy');
    expectFloat32(x, op, 'input');
    const g = poolingGeometry(x.shape, options, op);
    expectPoolGradient(op, dy, g, x.shape);
    return {
      op,
      inputs: { dy: dy.data, x: x.data },
      outputs: { dx: { size: x.size, given: options.out, shards: 'part' } },
      geometry: g,
      flops: poolingFlops(g),
      items: g.batch,
      whole: upTo(g.batch),
    };
  },
  compute(backend, a, g, batch) {
    backend.maxPool2dBackward(f32(a.dy), f32(a.x), f32(a.dx), g, batch);
  },
  result: (_call, { dx }, [, x]) => new Tensor(dx as Float32Array, x.shape, 'float32'),
};

/** The average-pool gradient: each window's dy shared by its real pixels, split over the batch. */
export const avgPool2dBackwardKernel: KernelDefinition<
  [dy: Tensor<'float32'>, xShape: Shape, options?: PoolingOptions],
  Tensor<'float32'>,
  WindowGeometry
> = {
  name: 'avgPool2dBackward',
  plan([dy, xShape, options = {}]) {
    const op = 'avgPool2dBackward';
    expectFloat32(dy, op, 'dy');
    const g = poolingGeometry(xShape, options, op);
    expectPoolGradient(op, dy, g, xShape);
    const size = g.batch * g.inHeight * g.inWidth * g.inChannels;
    return {
      op,
      inputs: { dy: dy.data },
      outputs: { dx: { size, given: options.out, shards: 'part' } },
      geometry: g,
      flops: poolingFlops(g),
      items: g.batch,
      whole: upTo(g.batch),
    };
  },
  compute(backend, a, g, batch) {
    backend.avgPool2dBackward(f32(a.dy), f32(a.dx), g, batch);
  },
  result: (_call, { dx }, [, xShape]) => new Tensor(dx as Float32Array, xShape, 'float32'),
};

/** The maximum of each window, per channel. */
export function maxPool2d(x: Tensor<'float32'>, options: PoolingOptions = {}): Tensor<'float32'> {
  return runKernel(activeBackend(), maxPool2dKernel, [x, options]);
}

/** Gradient of maxPool2d: each window's dy goes to the input pixel that won its max. */
export function maxPool2dBackward(
  dy: Tensor<'float32'>,
  x: Tensor<'float32'>,
  options: PoolingOptions = {},
): Tensor<'float32'> {
  return runKernel(activeBackend(), maxPool2dBackwardKernel, [dy, x, options]);
}

/** The mean of each window's real (unpadded) pixels, per channel. */
export function avgPool2d(x: Tensor<'float32'>, options: PoolingOptions = {}): Tensor<'float32'> {
  return runKernel(activeBackend(), avgPool2dKernel, [x, options]);
}

/** Gradient of avgPool2d: each window's dy is shared equally by the real pixels it averaged. */
export function avgPool2dBackward(
  dy: Tensor<'float32'>,
  xShape: Shape,
  options: PoolingOptions = {},
): Tensor<'float32'> {
  return runKernel(activeBackend(), avgPool2dBackwardKernel, [dy, xShape, options]);
}
