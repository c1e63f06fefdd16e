// 2-D convolution on NHWC activations and HWIO filters, with both of its gradients beside it:
// conv2d, conv2dBackpropInput (gradient with respect to the input) and conv2dBackpropFilter
// (with respect to the filter), each a kernel definition (kernel.ts) and a synchronous op on the
// active backend. The geometry helpers validate shapes and options once, so kernels can trust them. As conv2d can finish its
// output with a bias and a ReLU, the gradients can start from that ReLU's output gradient (and
// the filter gradient also give the bias's), so no separate pass writes the gradient in between.

import { formatShape, type Shape, sizeOf, Tensor } from '@convoy/tensor';
import type { ConvEpilogue } from './backend.js';
import { activeBackend } from './backend-registry.js';
import { type ConvAlgorithm, type ConvGeometry, checkedAlgorithm } from './conv2d-algorithm.js';
import {
  outputShape,
  type Padding,
  type Pair,
  type WindowGeometry,
  windowGeometry,
} from './geometry.js';
import { f32, type KernelDefinition, upTo } from './kernel.js';
import { describeValue, type OutputOptions } from './output.js';
import { runKernel } from './run.js';
import { expectFloat32, expectRank, expectSameShape } from './validate.js';

export interface Conv2dOptions extends OutputOptions {
  /** Step between windows, [height, width] or one number for both. Default 1. */
  strides?: Pair;
  /** 'valid' (default), 'same' (TensorFlow's: odd extra pixel bottom/right) or explicit. */
  padding?: Padding;
  /** Spacing between filter taps (atrous convolution). Default 1. */
  dilations?: Pair;
  /**
   * 'auto' (default): the backend's choice, by the per-example geometry only; 'direct': the
   * direct convolution (im2col + GEMM); 'winograd': Winograd's F(m×m, 3×3), for 3×3 filters at
   * stride 1 and dilation 1 only (see conv2d-algorithm.ts). The reference backend ignores it.
   */
  algorithm?: ConvAlgorithm;
}

/** conv2d's own options: the window's, plus a bias and activation fused into the output write. */
export interface Conv2dForwardOptions extends Conv2dOptions {
  /** Added to each output value, one per output channel (shape [outChannels]). */
  bias?: Tensor<'float32'>;
  /** 'relu' applies max(value, 0) after the bias; 'linear' (default) leaves values as they are. */
  activation?: 'linear' | 'relu';
}

/** Both gradients' options: the window's, `out`, and the forward's fused ReLU. */
export interface Conv2dBackwardOptions extends Conv2dOptions {
  /**
   * The output y of the forward's fused ReLU (conv2d with activation 'relu'), when dy is the
   * gradient with respect to that output: the kernel reads dy where y > 0 and 0 elsewhere —
   * biasAddReluBackward's dx, without a pass that writes it. Same shape as dy.
   */
  reluOutput?: Tensor<'float32'>;
}

/** conv2dBackpropFilter's options: also where to write the bias's gradient. */
export interface Conv2dBackpropFilterOptions extends Conv2dBackwardOptions {
  /**
   * Storage for the bias gradient as well, one float32 per output channel: dy (through the ReLU
   * when reluOutput is given) summed over the batch and every pixel in float64, then rounded —
   * biasAddBackward's (or biasAddReluBackward's dBias) numbers. Written once the call is done.
   */
  biasOut?: Float32Array;
}

const INPUT_AXES = '[batch, height, width, channels]';
const FILTER_AXES = '[filterHeight, filterWidth, inChannels, outChannels]';

/**
 * Validates a convolution of an NHWC input by an HWIO filter and returns its geometry, with the
 * algorithm asked for.
 */
export function conv2dGeometry(
  xShape: Shape,
  filterShape: Shape,
  options: Conv2dOptions = {},
  op = 'conv2d',
): ConvGeometry {
  expectRank(xShape, 4, op, 'input', INPUT_AXES);
  expectRank(filterShape, 4, op, 'filter', FILTER_AXES);
  const [filterHeight, filterWidth, filterInChannels, outChannels] = filterShape as [
    number,
    number,
    number,
    number,
  ];
  if (filterHeight === 0 || filterWidth === 0) {
    throw new RangeError(
      `${op}: filter height and width must be positive, got filter ${formatShape(filterShape)}`,
    );
  }
  const inChannels = xShape[3]!;
  if (inChannels !== filterInChannels) {
    throw new RangeError(
      `${op}: input channels (${inChannels}) must equal the filter's inChannels (${filterInChannels}): input ${formatShape(xShape)}, filter ${formatShape(filterShape)}`,
    );
  }
  const g = windowGeometry({
    op,
    xShape,
    filterHeight,
    filterWidth,
    outChannels,
    strides: options.strides ?? 1,
    dilations: options.dilations ?? 1,
    padding: options.padding ?? 'valid',
    windowShape: filterShape,
  });
  return { ...g, algorithm: checkedAlgorithm(options.algorithm, g, op, filterShape) };
}

/**
 * The epilogue a conv2d's options ask for (undefined for none), checked against the geometry:
 * the result equals relu(biasAdd(conv2d(x, filter), bias)) computed as separate ops.
 */
export function conv2dEpilogue(
  options: Conv2dForwardOptions,
  g: WindowGeometry,
  op = 'conv2d',
): ConvEpilogue | undefined {
  const { bias, activation = 'linear' } = options;
  if (activation !== 'linear' && activation !== 'relu') {
    throw new RangeError(
      `${op}: activation must be 'linear' or 'relu', got ${JSON.stringify(activation)}`,
    );
  }
  if (bias !== undefined) {
    expectFloat32(bias, op, 'bias');
    if (bias.rank !== 1 || bias.shape[0] !== g.outChannels) {
      throw new RangeError(
        `${op}: bias must have shape [${g.outChannels}] (one value per output channel), got ${formatShape(bias.shape)}`,
      );
    }
  }
  if (bias === undefined && activation === 'linear') return undefined;
  return { bias: bias?.data, relu: activation === 'relu' };
}

function expectOutputGradient(
  dyShape: Shape,
  g: WindowGeometry,
  op: string,
  context: string,
): void {
  const expected = outputShape(g);
  if (dyShape.length !== 4 || dyShape.some((dim, i) => dim !== expected[i])) {
    throw new RangeError(
      `${op}: dy must have the conv2d output shape ${formatShape(expected)}, got ${formatShape(dyShape)} (${context})`,
    );
  }
}

/**
 * Checks what both gradients' options add to the kernel's prologue against dy and the geometry:
 * the ReLU's output, laid out as dy, and `biasOut` (the filter gradient's only), one value per
 * output channel. The plans then pass the ReLU's output as an input and the bias sums as an output.
 */
export function checkGradientPrologue(
  options: Conv2dBackpropFilterOptions,
  dy: Tensor<'float32'>,
  g: WindowGeometry,
  op: string,
): void {
  const { reluOutput, biasOut } = options;
  if (reluOutput !== undefined) {
    expectFloat32(reluOutput, op, 'reluOutput');
    expectSameShape(reluOutput.shape, dy.shape, op, 'reluOutput', 'dy');
  }
  if (biasOut !== undefined) {
    if (!(biasOut instanceof Float32Array)) {
      throw new TypeError(`${op}: biasOut must be a Float32Array, got ${describeValue(biasOut)}`);
    }
    if (biasOut.length !== g.outChannels) {
      throw new RangeError(
        `${op}: biasOut must hold one value per output channel (${g.outChannels}), got ${biasOut.length}`,
      );
    }
  }
}

/** Validates the gradient of a conv2d with respect to its input; dy must be the output shape. */
export function conv2dBackpropInputGeometry(
  xShape: Shape,
  filterShape: Shape,
  dyShape: Shape,
  options: Conv2dOptions = {},
  op = 'conv2dBackpropInput',
): ConvGeometry {
  const g = conv2dGeometry(xShape, filterShape, options, op);
  const context = `input ${formatShape(xShape)}, filter ${formatShape(filterShape)}`;
  expectOutputGradient(dyShape, g, op, context);
  return g;
}

/** Validates the gradient of a conv2d with respect to its filter; dy must be the output shape. */
export function conv2dBackpropFilterGeometry(
  xShape: Shape,
  filterShape: Shape,
  dyShape: Shape,
  options: Conv2dOptions = {},
  op = 'conv2dBackpropFilter',
): ConvGeometry {
  const g = conv2dGeometry(xShape, filterShape, options, op);
  const context = `input ${formatShape(xShape)}, filter ${formatShape(filterShape)}`;
  expectOutputGradient(dyShape, g, op, context);
  return g;
}

type Conv2dArgs = [x: Tensor<'float32'>, filter: Tensor<'float32'>, options?: Conv2dForwardOptions];
type Conv2dBackpropInputArgs = [
  dy: Tensor<'float32'>,
  filter: Tensor<'float32'>,
  xShape: Shape,
  options?: Conv2dBackwardOptions,
];
type Conv2dBackpropFilterArgs = [
  x: Tensor<'float32'>,
  dy: Tensor<'float32'>,
  filterShape: Shape,
  options?: Conv2dBackpropFilterOptions,
];

/** conv2d's geometry with its epilogue's activation (the bias travels as an input). */
export interface Conv2dForwardGeometry extends ConvGeometry {
  relu: boolean;
}

/** Multiply-adds count two operations; each gradient does as many as the forward. */
export function conv2dFlops(g: WindowGeometry): number {
  return (
    2 *
    g.batch *
    g.outHeight *
    g.outWidth *
    g.outChannels *
    g.filterHeight *
    g.filterWidth *
    g.inChannels
  );
}

/** The convolution: each batch item on its own, so a call splits over the batch. */
export const conv2dKernel: KernelDefinition<
  Conv2dArgs,
  Tensor<'float32'>,
  Conv2dForwardGeometry
> = {
  name: 'conv2d',
  plan([x, filter, options = {}]) {
    const op = 'conv2d';
    expectFloat32(x, op, 'input');
    expectFloat32(filter, op, 'filter');
    const g = conv2dGeometry(x.shape, filter.shape, options);
    const epilogue = conv2dEpilogue(options, g);
    return {
      op,
      inputs: { x: x.data, filter: filter.data, bias: epilogue?.bias },
      outputs: { out: { size: sizeOf(outputShape(g)), given: options.out, shards: 'part' } },
      geometry: { ...g, relu: epilogue?.relu ?? false },
      flops: conv2dFlops(g),
      items: g.batch,
      whole: upTo(g.batch),
    };
  },
  compute(backend, a, g, batch) {
    const bias = a.bias as Float32Array | undefined;
    const epilogue = bias !== undefined || g.relu ? { bias, relu: g.relu } : undefined;
    backend.conv2d(f32(a.x), f32(a.filter), f32(a.out), g, batch, epilogue);
  },
  result: (call, { out }) => new Tensor(out as Float32Array, outputShape(call.geometry), 'float32'),
};

/** The input gradient: each batch item's dx from its own dy, split over the batch. */
export const conv2dBackpropInputKernel: KernelDefinition<
  Conv2dBackpropInputArgs,
  Tensor<'float32'>,
  ConvGeometry
> = {
  name: 'conv2dBackpropInput',
  plan([dy, filter, xShape, options = {}]) {
    const op = 'conv2dBackpropInput';
    expectFloat32(dy, op, 'dy');
    expectFloat32(filter, op, 'filter');
    const g = conv2dBackpropInputGeometry(xShape, filter.shape, dy.shape, options);
    checkGradientPrologue({ reluOutput: options.reluOutput }, dy, g, op);
    const size = g.batch * g.inHeight * g.inWidth * g.inChannels;
    return {
      op,
      inputs: { dy: dy.data, filter: filter.data, y: options.reluOutput?.data },
      outputs: { dx: { size, given: options.out, shards: 'part' } },
      geometry: g,
      // Same multiply-adds as the forward pass, scattered the other way.
      flops: conv2dFlops(g),
      items: g.batch,
      whole: upTo(g.batch),
    };
  },
  compute(backend, a, g, batch) {
    const y = a.y as Float32Array | undefined;
    const prologue = y ? { y, biasSums: undefined } : undefined;
    backend.conv2dBackpropInput(f32(a.dy), f32(a.filter), f32(a.dx), g, batch, prologue);
  },
  result: (_call, { dx }, [, , xShape]) => new Tensor(dx as Float32Array, xShape, 'float32'),
};

/**
 * The filter gradient (and, with `biasOut`, the bias's): summed over the batch, so a split call
 * gives each shard a whole partial of its own and adds them in shard order.
 */
export const conv2dBackpropFilterKernel: KernelDefinition<
  Conv2dBackpropFilterArgs,
  Tensor<'float32'>,
  ConvGeometry
> = {
  name: 'conv2dBackpropFilter',
  plan([x, dy, filterShape, options = {}]) {
    const op = 'conv2dBackpropFilter';
    expectFloat32(x, op, 'input');
    expectFloat32(dy, op, 'dy');
    const g = conv2dBackpropFilterGeometry(x.shape, filterShape, dy.shape, options);
    checkGradientPrologue(options, dy, g, op);
    const size = g.filterHeight * g.filterWidth * g.inChannels * g.outChannels;
    return {
      op,
      inputs: { x: x.data, dy: dy.data, y: options.reluOutput?.data },
      outputs: {
        dw: { size, given: options.out, shards: 'sum' },
        ...(options.biasOut && {
          biasSums: { size: g.outChannels, float64: true, shards: 'sum' as const },
        }),
      },
      geometry: g,
      flops: conv2dFlops(g),
      items: g.batch,
      whole: upTo(g.batch),
    };
  },
  compute(backend, a, g, batch) {
    const y = a.y as Float32Array | undefined;
    const biasSums = a.biasSums as Float64Array | undefined;
    // The kernel adds to the bias sums: a shard's partial starts from zero.
    biasSums?.fill(0);
    const prologue = y || biasSums ? { y, biasSums } : undefined;
    backend.conv2dBackpropFilter(f32(a.x), f32(a.dy), f32(a.dw), g, batch, prologue);
  },
  result(_call, { dw, biasSums }, [, , filterShape, options]) {
    if (biasSums) options!.biasOut!.set(biasSums);
    return new Tensor(dw as Float32Array, filterShape, 'float32');
  },
};

/**
 * Convolves an NHWC input [batch, height, width, inChannels] with an HWIO filter
 * [filterHeight, filterWidth, inChannels, outChannels]; returns [batch, outHeight, outWidth,
 * outChannels]. Like TensorFlow (and the textbook), this is cross-correlation: the filter is not
 * flipped. With `bias` and/or `activation: 'relu'` the result is relu(conv + bias), fused into
 * the kernel's output write (like tf.fused.conv2d).
 */
export function conv2d(
  x: Tensor<'float32'>,
  filter: Tensor<'float32'>,
  options: Conv2dForwardOptions = {},
): Tensor<'float32'> {
  return runKernel(activeBackend(), conv2dKernel, [x, filter, options]);
}

/**
 * Gradient of conv2d with respect to its input x (of shape xShape), given dy = dLoss/dOutput
 * (of the fused ReLU's output, with `reluOutput`).
 */
export function conv2dBackpropInput(
  dy: Tensor<'float32'>,
  filter: Tensor<'float32'>,
  xShape: Shape,
  options: Conv2dBackwardOptions = {},
): Tensor<'float32'> {
  return runKernel(activeBackend(), conv2dBackpropInputKernel, [dy, filter, xShape, options]);
}

/**
 * Gradient of conv2d with respect to its filter (of shape filterShape), summed over the batch;
 * with `biasOut`, the bias's gradient too.
 */
export function conv2dBackpropFilter(
  x: Tensor<'float32'>,
  dy: Tensor<'float32'>,
  filterShape: Shape,
  options: Conv2dBackpropFilterOptions = {},
): Tensor<'float32'> {
  return runKernel(activeBackend(), conv2dBackpropFilterKernel, [x, dy, filterShape, options]);
}
