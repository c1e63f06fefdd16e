// Global average pooling: each NHWC image's mean per channel, [batch, height, width, channels] →
// [batch, channels] (Keras's GlobalAveragePooling2D), with its backward beside it. Both are kernel
// definitions (kernel.ts) split over the batch, so they run on any executor; the synchronous ops
// run them on the active backend.

import { formatShape, type Shape, Tensor } from '@convoy/tensor';
import type { GlobalPoolingGeometry } from './backend.js';
import { activeBackend } from './backend-registry.js';
import { f32, type KernelDefinition, upTo } from './kernel.js';
import type { OutputOptions } from './output.js';
import { runKernel } from './run.js';
import { expectFloat32, expectRank } from './validate.js';

/** The geometry of a global pooling of an NHWC input, which must hold at least one pixel. */
function globalPoolingGeometry(xShape: Shape, op: string): GlobalPoolingGeometry {
  expectRank(xShape, 4, op, 'input', '[batch, height, width, channels]');
  const [batch, height, width, channels] = xShape as [number, number, number, number];
  if (height * width === 0) {
    throw new RangeError(
      `${op}: input must have at least one pixel to average, got shape ${formatShape(xShape)}`,
    );
  }
  return { batch, pixels: height * width, channels };
}

/** The mean of each image per channel, split over the batch. */
export const globalAvgPool2dKernel: KernelDefinition<
  [x: Tensor<'float32'>, options?: OutputOptions],
  Tensor<'float32'>,
  GlobalPoolingGeometry
> = {
  name: 'globalAvgPool2d',
  plan([x, options = {}]) {
    const op = 'globalAvgPool2d';
    expectFloat32(x, op, 'input');
    const g = globalPoolingGeometry(x.shape, op);
    return {
      op,
      inputs: { x: x.data },
      outputs: { out: { size: g.batch * g.channels, given: options.out, shards: 'part' } },
      geometry: g,
      // One add per input element.
      flops: x.size,
      items: g.batch,
      whole: upTo(g.batch),
    };
  },
  compute(backend, a, g, batch) {
    backend.globalAvgPool2d(f32(a.x), f32(a.out), g, batch);
  },
  result: (call, { out }) =>
    new Tensor(out as Float32Array, [call.geometry.batch, call.geometry.channels], 'float32'),
};

/** Each image's gradient spread evenly over its pixels, split over the batch. */
export const globalAvgPool2dBackwardKernel: KernelDefinition<
  [dy: Tensor<'float32'>, xShape: Shape, options?: OutputOptions],
  Tensor<'float32'>,
  GlobalPoolingGeometry
> = {
  name: 'globalAvgPool2dBackward',
  plan([dy, xShape, options = {}]) {
    const op = 'globalAvgPool2dBackward';
    expectFloat32(dy, op, 'dy');
    const g = globalPoolingGeometry(xShape, op);
    if (dy.rank !== 2 || dy.shape[0] !== g.batch || dy.shape[1] !== g.channels) {
      throw new RangeError(
        `${op}: dy must have the pooled shape ${formatShape([g.batch, g.channels])}, got ${formatShape(dy.shape)} (input ${formatShape(xShape)})`,
      );
    }
    const size = g.batch * g.pixels * g.channels;
    return {
      op,
      inputs: { dy: dy.data },
      outputs: { dx: { size, given: options.out, shards: 'part' } },
      geometry: g,
      // One divide per image and channel, one write per input element.
      flops: size,
      items: g.batch,
      whole: upTo(g.batch),
    };
  },
  compute(backend, a, g, batch) {
    backend.globalAvgPool2dBackward(f32(a.dy), f32(a.dx), g, batch);
  },
  result: (_call, { dx }, [, xShape]) => new Tensor(dx as Float32Array, xShape, 'float32'),
};

/** The mean of each image's pixels per channel: [batch, height, width, channels] → [batch, channels]. */
export function globalAvgPool2d(
  x: Tensor<'float32'>,
  options: OutputOptions = {},
): Tensor<'float32'> {
  return runKernel(activeBackend(), globalAvgPool2dKernel, [x, options]);
}

/** Gradient of globalAvgPool2d: dy[b, c] / (height · width) at every pixel of image b, channel c. */
export function globalAvgPool2dBackward(
  dy: Tensor<'float32'>,
  xShape: Shape,
  options: OutputOptions = {},
): Tensor<'float32'> {
  return runKernel(activeBackend(), globalAvgPool2dBackwardKernel, [dy, xShape, options]);
}
