// The one windowing helper for convolution and pooling: output sizes and padding, with
// TensorFlow's semantics ('same' puts the odd extra pixel at the bottom/right, 'valid' pads
// nothing, or explicit [[top, bottom], [left, right]]). Output size is
// floor((N + padBefore + padAfter - effectiveKernel) / stride) + 1.

import { formatShape, type Shape } from '@convoy/tensor';

export type ExplicitPadding = readonly [readonly [number, number], readonly [number, number]];
export type Padding = 'same' | 'valid' | ExplicitPadding;
export type Pair = number | readonly [number, number];

/** Everything a convolution or pooling kernel needs to walk its windows, in elements. */
export interface WindowGeometry {
  batch: number;
  inHeight: number;
  inWidth: number;
  inChannels: number;
  outHeight: number;
  outWidth: number;
  /** Output channels of a convolution; equals inChannels for pooling. */
  outChannels: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  dilationHeight: number;
  dilationWidth: number;
  padTop: number;
  padBottom: number;
  padLeft: number;
  padRight: number;
}

/**
 * A [height, width] pair from a number or a pair; throws unless both are positive integers.
 * `context` (e.g. the input shape) is appended to the error message.
 */
export function pair(value: Pair, op: string, name: string, context = ''): [number, number] {
  const [a, b] = typeof value === 'number' ? [value, value] : Array.isArray(value) ? value : [];
  if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b) || a! <= 0 || b! <= 0) {
    throw new RangeError(
      `${op}: ${name} must be positive integers (a number or [height, width]), got ${JSON.stringify(value)}${context}`,
    );
  }
  return [a!, b!];
}

interface AxisWindow {
  out: number;
  padBefore: number;
  padAfter: number;
}

function axisWindow(
  size: number,
  kernel: number,
  stride: number,
  dilation: number,
  padding: 'same' | 'valid' | readonly [number, number],
): AxisWindow {
  const effectiveKernel = (kernel - 1) * dilation + 1;
  if (padding === 'same') {
    const out = Math.ceil(size / stride);
    const total = Math.max((out - 1) * stride + effectiveKernel - size, 0);
    const padBefore = Math.floor(total / 2);
    return { out, padBefore, padAfter: total - padBefore };
  }
  const [padBefore, padAfter] = padding === 'valid' ? [0, 0] : padding;
  const out = Math.floor((size + padBefore + padAfter - effectiveKernel) / stride) + 1;
  return { out, padBefore, padAfter };
}

function checkPadding(padding: Padding, op: string): void {
  if (padding === 'same' || padding === 'valid') return;
  const ok =
    Array.isArray(padding) &&
    padding.length === 2 &&
    padding.every(
      (p) =>
        Array.isArray(p) && p.length === 2 && p.every((v) => Number.isSafeInteger(v) && v >= 0),
    );
  if (!ok) {
    throw new RangeError(
      `${op}: padding must be 'same', 'valid' or [[top, bottom], [left, right]] of non-negative integers, got ${JSON.stringify(padding)}`,
    );
  }
}

export interface WindowRequest {
  op: string;
  /** NHWC input shape. */
  xShape: Shape;
  filterHeight: number;
  filterWidth: number;
  outChannels: number;
  strides: Pair;
  dilations: Pair;
  padding: Padding;
  /** Shape of the filter or pool window, for error messages. */
  windowShape: Shape;
}

/** Validates a request and computes its geometry; throws errors that name the op and shapes. */
export function windowGeometry(request: WindowRequest): WindowGeometry {
  const { op, xShape } = request;
  if (xShape.length !== 4) {
    throw new RangeError(
      `${op}: input must be rank 4 [batch, height, width, channels], got shape ${formatShape(xShape)}`,
    );
  }
  const context = ` (input ${formatShape(xShape)}, window ${formatShape(request.windowShape)})`;
  const [strideHeight, strideWidth] = pair(request.strides, op, 'strides', context);
  const [dilationHeight, dilationWidth] = pair(request.dilations, op, 'dilations', context);
  checkPadding(request.padding, op);
  const [batch, inHeight, inWidth, inChannels] = xShape as [number, number, number, number];
  const explicit = typeof request.padding === 'string' ? undefined : request.padding;
  const rows = axisWindow(
    inHeight,
    request.filterHeight,
    strideHeight,
    dilationHeight,
    explicit ? explicit[0] : (request.padding as 'same' | 'valid'),
  );
  const cols = axisWindow(
    inWidth,
    request.filterWidth,
    strideWidth,
    dilationWidth,
    explicit ? explicit[1] : (request.padding as 'same' | 'valid'),
  );
  if (rows.out <= 0 || cols.out <= 0) {
    const dilated =
      dilationHeight === 1 && dilationWidth === 1
        ? ''
        : ` (dilations ${dilationHeight}x${dilationWidth})`;
    throw new RangeError(
      `${op}: window ${formatShape(request.windowShape)}${dilated} is larger than the padded input: input ${formatShape(xShape)}, padding ${JSON.stringify(request.padding)}`,
    );
  }
  return {
    batch,
    inHeight,
    inWidth,
    inChannels,
    outHeight: rows.out,
    outWidth: cols.out,
    outChannels: request.outChannels,
    filterHeight: request.filterHeight,
    filterWidth: request.filterWidth,
    strideHeight,
    strideWidth,
    dilationHeight,
    dilationWidth,
    padTop: rows.padBefore,
    padBottom: rows.padAfter,
    padLeft: cols.padBefore,
    padRight: cols.padAfter,
  };
}

/** NHWC shape of the output a geometry describes. */
export function outputShape(g: WindowGeometry): [number, number, number, number] {
  return [g.batch, g.outHeight, g.outWidth, g.outChannels];
}
