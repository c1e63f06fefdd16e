// 2-D convolution on NHWC activations and HWIO filters, with both of its gradients beside it:
// conv2d, conv2dBackpropInput (gradient with respect to the input) and conv2dBackpropFilter
// (with respect to the filter). The Tensor-level ops run on the active backend; the geometry
// helpers validate shapes and options once, so kernels can trust them. As conv2d can finish its
// output with a bias and a ReLU, the gradients can start from that ReLU's output gradient (and
// the filter gradient also give the bias's), so no separate pass writes the gradient in between.

import { formatShape, type Shape, Tensor } from '@convoy/tensor';
import type { Backend, ConvEpilogue, GradientPrologue } from './backend.js';
import { activeBackend } from './backend-registry.js';
import { type ConvAlgorithm, type ConvGeometry, checkedAlgorithm } from './conv2d-algorithm.js';
import {
  outputShape,
  type Padding,
  type Pair,
  type WindowGeometry,
  windowGeometry,
} from './geometry.js';
import { describeValue, type OutputOptions, outputStorage } from './output.js';
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
 * The prologue both gradients' options ask for (undefined for none), checked against dy and the
 * geometry. `biasOut` is the filter gradient's only.
 */
export function conv2dGradientPrologue(
  options: Conv2dBackpropFilterOptions,
  dy: Tensor<'float32'>,
  g: WindowGeometry,
  op: string,
): GradientPrologue | undefined {
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
  if (reluOutput === undefined && biasOut === undefined) return undefined;
  const biasSums = biasOut ? new Float64Array(g.outChannels) : undefined;
  return { y: reluOutput?.data, biasSums };
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

/** conv2d computed by a given backend (the public conv2d uses the active one). */
export function conv2dWith(
  backend: Backend,
  x: Tensor<'float32'>,
  filter: Tensor<'float32'>,
  options: Conv2dForwardOptions = {},
): Tensor<'float32'> {
  expectFloat32(x, 'conv2d', 'input');
  expectFloat32(filter, 'conv2d', 'filter');
  const g = conv2dGeometry(x.shape, filter.shape, options);
  const epilogue = conv2dEpilogue(options, g);
  const shape = outputShape(g);
  const size = shape[0] * shape[1] * shape[2] * shape[3];
  const out = outputStorage(options.out, size, 'conv2d', { inputs: [x.data, filter.data] });
  backend.conv2d(x.data, filter.data, out, g, { start: 0, end: g.batch }, epilogue);
  return new Tensor(out, shape, 'float32');
}

/** conv2dBackpropInput computed by a given backend. */
export function conv2dBackpropInputWith(
  backend: Backend,
  dy: Tensor<'float32'>,
  filter: Tensor<'float32'>,
  xShape: Shape,
  options: Conv2dBackwardOptions = {},
): Tensor<'float32'> {
  const op = 'conv2dBackpropInput';
  expectFloat32(dy, op, 'dy');
  expectFloat32(filter, op, 'filter');
  const g = conv2dBackpropInputGeometry(xShape, filter.shape, dy.shape, options);
  const prologue = conv2dGradientPrologue({ reluOutput: options.reluOutput }, dy, g, op);
  const size = g.batch * g.inHeight * g.inWidth * g.inChannels;
  const inputs = [dy.data, filter.data, ...(prologue?.y ? [prologue.y] : [])];
  const dx = outputStorage(options.out, size, op, { inputs });
  backend.conv2dBackpropInput(dy.data, filter.data, dx, g, { start: 0, end: g.batch }, prologue);
  return new Tensor(dx, xShape, 'float32');
}

/** conv2dBackpropFilter computed by a given backend. */
export function conv2dBackpropFilterWith(
  backend: Backend,
  x: Tensor<'float32'>,
  dy: Tensor<'float32'>,
  filterShape: Shape,
  options: Conv2dBackpropFilterOptions = {},
): Tensor<'float32'> {
  const op = 'conv2dBackpropFilter';
  expectFloat32(x, op, 'input');
  expectFloat32(dy, op, 'dy');
  const g = conv2dBackpropFilterGeometry(x.shape, filterShape, dy.shape, options);
  const prologue = conv2dGradientPrologue(options, dy, g, op);
  const size = g.filterHeight * g.filterWidth * g.inChannels * g.outChannels;
  const inputs = [x.data, dy.data, ...(prologue?.y ? [prologue.y] : [])];
  const dw = outputStorage(options.out, size, op, { inputs });
  backend.conv2dBackpropFilter(x.data, dy.data, dw, g, { start: 0, end: g.batch }, prologue);
  if (prologue?.biasSums) options.biasOut!.set(prologue.biasSums);
  return new Tensor(dw, filterShape, 'float32');
}

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
  return conv2dWith(activeBackend(), x, filter, options);
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
  return conv2dBackpropInputWith(activeBackend(), dy, filter, xShape, options);
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
  return conv2dBackpropFilterWith(activeBackend(), x, dy, filterShape, options);
}
