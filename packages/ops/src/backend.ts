// The contract between the ops and whatever computes them. A backend works on raw Float32Arrays
// (which may sit on shared memory) and a geometry, over a range of the batch (or of matrix rows,
// or of a flat array), writing into storage the caller allocated. That range is what lets an
// executor shard a call: each worker runs the same backend method on its own slice.
//
// Each kernel takes its arrays in the order its math reads naturally; the kernel definitions
// (kernel-table.ts) are what name them, size them and say how a call splits, so an executor needs
// no list of its own.
//
// Backends: the reference loops (the oracle, always present) and WebAssembly SIMD (the default
// where the runtime supports it).

import type { AdamCoefficients } from './adam-coefficients.js';
import type { ConvGeometry } from './conv2d-algorithm.js';
import type { WindowGeometry } from './geometry.js';

/** A half-open range [start, end) of batch items or matrix rows. */
export interface Range {
  start: number;
  end: number;
}

export interface MatMulGeometry {
  /** Rows of the result (rows of op(a)). */
  m: number;
  /** The shared dimension. */
  k: number;
  /** Columns of the result (columns of op(b)). */
  n: number;
  transposeA: boolean;
  transposeB: boolean;
  /**
   * Only these output columns (default all): a worker executor's shard of a product with few rows
   * and many columns. Other columns of out are left as they are.
   */
  columns?: Range;
  /**
   * Only this slice of the shared dimension (default all): out[rows] is overwritten with the
   * partial product op(a)[rows, slice] · op(b)[slice, :]. A worker executor gives each depth shard
   * its own out and adds them, for a product with few rows and a deep, wide b.
   */
  depth?: Range;
}

/**
 * What conv2d does to each output value as it writes it: add a bias per output channel, then
 * optionally ReLU. Fusing these into the convolution saves a whole pass over its output (the
 * biggest tensor of a CNN's step) and lets the workers do it in parallel.
 */
export interface ConvEpilogue {
  /** One value per output channel, added first; undefined adds nothing. */
  bias: Float32Array | undefined;
  /** Then max(value, 0), as relu does (NaN stays NaN). */
  relu: boolean;
}

/**
 * What a convolution gradient kernel does to dy as it reads it, when the forward fused a ReLU
 * and/or a bias (conv2d's epilogue): the ReLU's backward and the bias gradient, computed on the
 * fly instead of in a pass of their own (biasAddReluBackward) that writes a whole new gradient.
 * The result equals that pass followed by the kernel, bit for bit.
 */
export interface GradientPrologue {
  /** The ReLU's output y, laid out as dy: dy counts where y > 0 and reads as 0 elsewhere. */
  y: Float32Array | undefined;
  /**
   * When given: each output channel's (masked) dy over the batch range, summed in float64 in
   * row order, is added here — the bias gradient, before rounding to float32.
   */
  biasSums: Float64Array | undefined;
}

/** A [rows, channels] layout with one value per channel (a bias), the last axis the channels. */
export interface ChannelGeometry {
  channels: number;
}

/** An NHWC batch seen as [batch, pixels, channels]: what a global pooling reduces per image. */
export interface GlobalPoolingGeometry {
  batch: number;
  /** height · width of each image. */
  pixels: number;
  channels: number;
}

export interface Backend {
  readonly name: string;
  /**
   * out[range] = conv(x[range], filter), then the epilogue if given. out is NHWC for the whole
   * batch; only the range is written. The three convolution kernels compute each batch item the
   * same way whatever the range (g.algorithm and the per-example geometry decide how), so
   * splitting a batch never changes an item's forward output or input gradient.
   */
  conv2d(
    x: Float32Array,
    filter: Float32Array,
    out: Float32Array,
    g: ConvGeometry,
    batch: Range,
    epilogue?: ConvEpilogue,
  ): void;
  /**
   * dx[range] = gradient of conv2d with respect to its input, for the batch range, of dy
   * through the prologue's ReLU if given (its biasSums are not used here).
   */
  conv2dBackpropInput(
    dy: Float32Array,
    filter: Float32Array,
    dx: Float32Array,
    g: ConvGeometry,
    batch: Range,
    prologue?: GradientPrologue,
  ): void;
  /**
   * dw = gradient with respect to the filter, summed over the batch range only. dw is overwritten
   * (not accumulated), so a caller that shards by batch gives each shard its own dw and adds them.
   * With a prologue, dy goes through its ReLU first and its bias sums are added to.
   */
  conv2dBackpropFilter(
    x: Float32Array,
    dy: Float32Array,
    dw: Float32Array,
    g: ConvGeometry,
    batch: Range,
    prologue?: GradientPrologue,
  ): void;
  /**
   * out[rows] = op(a)[rows] · op(b), out is row-major m×n; only the rows in range (and the
   * columns in g.columns) are written, summing over g.depth when given.
   */
  matMul(a: Float32Array, b: Float32Array, out: Float32Array, g: MatMulGeometry, rows: Range): void;
  /** out[range] = the maximum of each pooling window of x[range] (NaN never wins). */
  maxPool2d(x: Float32Array, out: Float32Array, g: WindowGeometry, batch: Range): void;
  /**
   * dx[range] = each window's dy routed to the first pixel (in window order) holding its maximum,
   * zeros elsewhere; every element of the range is written.
   */
  maxPool2dBackward(
    dy: Float32Array,
    x: Float32Array,
    dx: Float32Array,
    g: WindowGeometry,
    batch: Range,
  ): void;
  /** out[range] = the mean of each window's real (unpadded) pixels of x[range]. */
  avgPool2d(x: Float32Array, out: Float32Array, g: WindowGeometry, batch: Range): void;
  /** dx[range] = each window's dy shared equally by its real pixels; every element written. */
  avgPool2dBackward(dy: Float32Array, dx: Float32Array, g: WindowGeometry, batch: Range): void;
  /**
   * out[range] ([batch, channels]) = the mean of each image's pixels per channel, summed in
   * float64 in pixel order and rounded once.
   */
  globalAvgPool2d(x: Float32Array, out: Float32Array, g: GlobalPoolingGeometry, batch: Range): void;
  /** dx[range] = each image's dy (one per channel) divided by its pixel count, at every pixel. */
  globalAvgPool2dBackward(
    dy: Float32Array,
    dx: Float32Array,
    g: GlobalPoolingGeometry,
    batch: Range,
  ): void;
  /**
   * For y = relu(x + bias) over [rows, channels]: dx[rows] = y > 0 ? dy : 0, and biasSums (one
   * per channel) overwritten with dx summed over the row range only, in float64 in row order —
   * like conv2dBackpropFilter's output, a per-range partial that a caller sharding by rows adds up
   * before rounding.
   */
  biasAddReluBackward(
    dy: Float32Array,
    y: Float32Array,
    dx: Float32Array,
    biasSums: Float64Array,
    g: ChannelGeometry,
    rows: Range,
  ): void;
  /**
   * Adam's update of elements [range) of param, m and v in place from grad: m = β₁·m + (1−β₁)·g,
   * v = β₂·v + (1−β₂)·g², param −= stepSize·m / (√v + ε), in doubles with m and v rounded to
   * float32 as stored (Keras's "epsilon hat" Adam; stepSize holds the bias corrections).
   */
  adamUpdate(
    param: Float32Array,
    grad: Float32Array,
    m: Float32Array,
    v: Float32Array,
    c: AdamCoefficients,
    range: Range,
  ): void;
}
