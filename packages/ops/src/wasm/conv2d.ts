// conv2d forward and both gradients on the WebAssembly kernels, over a batch range. 3×3 filters at
// stride 1 run by Winograd where winograd-rule.ts says so (conv2d-winograd.ts). Otherwise layers
// with 1–3 output channels run forward on the direct kernel (conv2d-direct.ts), and all three are
// one GEMM per block of output pixels on an im2col that is packed as it is built:
//   forward:         out[pixels × outC]   = im2col(x)[pixels × taps·inC] · W[taps·inC × outC]
//   input gradient:  with stride 1, a forward conv of dy with the flipped, transposed filter
//                    (the transposed convolution); otherwise columns = dy[pixels × outC] · Wᵀ,
//                    then col2im adds them into dx. The first is faster: its GEMM is as deep as
//                    the forward's (taps·outC) instead of outC, with no scatter pass.
//   filter gradient: dW[taps·inC × outC] += im2col(x)ᵀ · dy, summed over every pixel of the range
// Work goes in groups of whole batch items: copy the group's inputs into wasm memory, compute,
// copy the group's result out, so only the range is ever read or written. Both gradients take dy
// through the gradient prologue (a fused ReLU's backward, the bias sums) as they copy it in.

import type { ConvEpilogue, GradientPrologue, Range } from '../backend.js';
import type { ConvGeometry } from '../conv2d-algorithm.js';
import type { WindowGeometry } from '../geometry.js';
import { itemsPerGroup, rowsPerBlock } from './blocking.js';
import { paddedCols, prepare } from './conv-setup.js';
import { conv2dDirectWasm, usesDirectConvolution } from './conv2d-direct.js';
import { conv2dBackpropFilterWinogradWasm, conv2dWinogradWasm } from './conv2d-winograd.js';
import { prepareEpilogue } from './epilogue.js';
import { preparePrologue } from './gradient-prologue.js';
import type { KernelInstance } from './instance.js';
import { winogradTile } from './winograd-rule.js';

/**
 * out[batch] = conv2d(x[batch], filter) then the epilogue, by Winograd, on the direct kernel or on
 * the GEMM, whichever suits g. A prologue applies to x as it is read.
 */
export function conv2dWasm(
  instance: KernelInstance,
  x: Float32Array,
  filter: Float32Array,
  out: Float32Array,
  g: ConvGeometry,
  batch: Range,
  epilogue?: ConvEpilogue,
  prologue?: GradientPrologue,
): void {
  if (batch.end <= batch.start) return;
  const tile = winogradTile(g, 'conv2d');
  if (tile) {
    conv2dWinogradWasm(instance, x, filter, out, g, batch, tile, epilogue, prologue);
    return;
  }
  directConv2dWasm(instance, x, filter, out, g, batch, epilogue, prologue);
}

/** conv2dWasm without Winograd: the direct kernel or the GEMM. */
function directConv2dWasm(
  instance: KernelInstance,
  x: Float32Array,
  filter: Float32Array,
  out: Float32Array,
  g: WindowGeometry,
  batch: Range,
  epilogue?: ConvEpilogue,
  prologue?: GradientPrologue,
): void {
  const run = usesDirectConvolution(g) ? conv2dDirectWasm : conv2dGemmWasm;
  run(instance, x, filter, out, g, batch, epilogue, prologue);
}

/** out[batch] = conv2d(x[batch], filter) as im2col · W, each block finished by the epilogue. */
export function conv2dGemmWasm(
  instance: KernelInstance,
  x: Float32Array,
  filter: Float32Array,
  out: Float32Array,
  g: WindowGeometry,
  batch: Range,
  epilogue?: ConvEpilogue,
  prologue?: GradientPrologue,
): void {
  if (batch.end <= batch.start) return;
  const { kernels, arena } = instance;
  const { depth, inItem, outItem, pixelsPerItem } = prepare(instance, g);
  const cols = g.outChannels;
  const filterRaw = arena.allocate(depth * cols);
  const filterPacked = arena.allocate(depth * paddedCols(cols));
  arena.write(filterRaw, filter.subarray(0, depth * cols));
  kernels.packB(filterRaw, cols, 1, depth, cols, filterPacked);
  const finish = prepareEpilogue(instance, epilogue, cols);

  const groupItems = itemsPerGroup(inItem + outItem, batch.end - batch.start);
  const blockRows = rowsPerBlock(depth, groupItems * pixelsPerItem);
  const xRegion = arena.allocate(groupItems * inItem);
  const outRegion = arena.allocate(groupItems * outItem);
  const aPacked = arena.allocate(blockRows * depth);
  const input = preparePrologue(instance, prologue, g.inChannels, groupItems * inItem);
  for (let item = batch.start; item < batch.end; item += groupItems) {
    const items = Math.min(groupItems, batch.end - item);
    input.stage(xRegion, x, item * inItem, (item + items) * inItem);
    const rows = items * pixelsPerItem;
    for (let row = 0; row < rows; row += blockRows) {
      const count = Math.min(blockRows, rows - row);
      kernels.im2colPacked(xRegion, row, count, aPacked);
      const block = outRegion + row * cols * 4;
      kernels.gemmPacked(aPacked, filterPacked, count, cols, depth, block, cols, 0);
      finish?.(block, count);
    }
    out.set(arena.read(outRegion, items * outItem), item * outItem);
  }
  input.finish();
}

/**
 * The input gradient of a stride-1 conv as a forward conv: dx = conv(dy, W') where
 * W'[kh, kw, co, ci] = W[fH−1−kh, fW−1−kw, ci, co] and each padding becomes the window's extent
 * minus the original padding on that side. When that is negative (explicit padding wider than the
 * window) the padding crops dy: Winograd's kernels take that (`allowCropping`), im2col does not,
 * so without it the result is undefined and col2im takes over.
 */
export function transposedConvolution(
  filter: Float32Array,
  g: WindowGeometry,
  allowCropping = false,
): { filter: Float32Array; geometry: WindowGeometry } | undefined {
  if (g.strideHeight !== 1 || g.strideWidth !== 1) return undefined;
  const extentHeight = (g.filterHeight - 1) * g.dilationHeight;
  const extentWidth = (g.filterWidth - 1) * g.dilationWidth;
  const pads = [
    extentHeight - g.padTop,
    extentHeight - g.padBottom,
    extentWidth - g.padLeft,
    extentWidth - g.padRight,
  ] as const;
  if (!allowCropping && pads.some((pad) => pad < 0)) return undefined;
  const { filterHeight, filterWidth, inChannels, outChannels } = g;
  const flipped = new Float32Array(filterHeight * filterWidth * inChannels * outChannels);
  for (let kh = 0; kh < filterHeight; kh++) {
    for (let kw = 0; kw < filterWidth; kw++) {
      const from =
        ((filterHeight - 1 - kh) * filterWidth + (filterWidth - 1 - kw)) * inChannels * outChannels;
      const to = (kh * filterWidth + kw) * outChannels * inChannels;
      for (let ci = 0; ci < inChannels; ci++) {
        for (let co = 0; co < outChannels; co++) {
          flipped[to + co * inChannels + ci] = filter[from + ci * outChannels + co]!;
        }
      }
    }
  }
  const geometry: WindowGeometry = {
    ...g,
    inHeight: g.outHeight,
    inWidth: g.outWidth,
    inChannels: outChannels,
    outHeight: g.inHeight,
    outWidth: g.inWidth,
    outChannels: inChannels,
    padTop: pads[0],
    padBottom: pads[1],
    padLeft: pads[2],
    padRight: pads[3],
  };
  return { filter: flipped, geometry };
}

/** dx[batch] = gradient of conv2d with respect to x, for dy[batch] through the prologue's ReLU. */
export function conv2dBackpropInputWasm(
  instance: KernelInstance,
  dy: Float32Array,
  filter: Float32Array,
  dx: Float32Array,
  g: ConvGeometry,
  batch: Range,
  prologue?: GradientPrologue,
): void {
  if (batch.end <= batch.start) return;
  // The bias sums are the filter gradient's to compute; here only the ReLU applies.
  const relu = prologue?.y && { y: prologue.y, biasSums: undefined };
  // Decided on the layer's own geometry, for its input gradient (not on the transposed conv's as
  // a forward pass): the measurements behind the rule are per kernel.
  const tile = winogradTile(g, 'conv2dBackpropInput');
  const transposed = transposedConvolution(filter, g, tile !== undefined);
  if (transposed) {
    const { filter: flipped, geometry } = transposed;
    if (tile) conv2dWinogradWasm(instance, dy, flipped, dx, geometry, batch, tile, undefined, relu);
    else directConv2dWasm(instance, dy, flipped, dx, geometry, batch, undefined, relu);
    return;
  }
  const { kernels, arena } = instance;
  const { depth, inItem, outItem, pixelsPerItem } = prepare(instance, g);
  const outChannels = g.outChannels;
  // Wᵀ as the B operand: element (outChannel, tap·inC) of Wᵀ is filter[tap·inC · outC + outChannel].
  const filterRaw = arena.allocate(depth * outChannels);
  const filterTransposed = arena.allocate(outChannels * paddedCols(depth));
  arena.write(filterRaw, filter.subarray(0, depth * outChannels));
  kernels.packB(filterRaw, 1, outChannels, outChannels, depth, filterTransposed);

  const groupItems = itemsPerGroup(inItem + outItem, batch.end - batch.start);
  const blockRows = rowsPerBlock(depth, groupItems * pixelsPerItem);
  const dyRegion = arena.allocate(groupItems * outItem);
  const dxRegion = arena.allocate(groupItems * inItem);
  const aPacked = arena.allocate(blockRows * outChannels);
  const columns = arena.allocate(blockRows * depth);
  const gradient = preparePrologue(instance, relu, outChannels, groupItems * outItem);
  for (let item = batch.start; item < batch.end; item += groupItems) {
    const items = Math.min(groupItems, batch.end - item);
    gradient.stage(dyRegion, dy, item * outItem, (item + items) * outItem);
    arena.read(dxRegion, items * inItem).fill(0);
    const rows = items * pixelsPerItem;
    for (let row = 0; row < rows; row += blockRows) {
      const count = Math.min(blockRows, rows - row);
      kernels.packA(dyRegion + row * outChannels * 4, outChannels, 1, count, outChannels, aPacked);
      kernels.gemmPacked(aPacked, filterTransposed, count, depth, outChannels, columns, depth, 0);
      kernels.col2imAdd(columns, row, count, dxRegion);
    }
    dx.set(arena.read(dxRegion, items * inItem), item * inItem);
  }
}

/**
 * dw = gradient of conv2d with respect to the filter, summed over batch (overwrites dw), for dy
 * through the prologue (whose bias sums are added to).
 */
export function conv2dBackpropFilterWasm(
  instance: KernelInstance,
  x: Float32Array,
  dy: Float32Array,
  dw: Float32Array,
  g: ConvGeometry,
  batch: Range,
  prologue?: GradientPrologue,
): void {
  const tile = winogradTile(g, 'conv2dBackpropFilter');
  if (tile) {
    conv2dBackpropFilterWinogradWasm(instance, x, dy, dw, g, batch, tile, prologue);
    return;
  }
  const { kernels, arena } = instance;
  const { depth, inItem, outItem, pixelsPerItem } = prepare(instance, g);
  const outChannels = g.outChannels;
  const dwRegion = arena.allocate(depth * outChannels);
  arena.read(dwRegion, depth * outChannels).fill(0);
  if (batch.end > batch.start) {
    const groupItems = itemsPerGroup(inItem + outItem, batch.end - batch.start);
    // Here output pixels are the GEMM's depth: a block of them times all taps·inC rows fills A.
    const blockPixels = rowsPerBlock(depth, groupItems * pixelsPerItem);
    const xRegion = arena.allocate(groupItems * inItem);
    const dyRegion = arena.allocate(groupItems * outItem);
    const aPacked = arena.allocate(Math.ceil(depth / 4) * 4 * blockPixels);
    const dyPacked = arena.allocate(blockPixels * paddedCols(outChannels));
    const gradient = preparePrologue(instance, prologue, outChannels, groupItems * outItem);
    for (let item = batch.start; item < batch.end; item += groupItems) {
      const items = Math.min(groupItems, batch.end - item);
      arena.write(xRegion, x.subarray(item * inItem, (item + items) * inItem));
      gradient.stage(dyRegion, dy, item * outItem, (item + items) * outItem);
      const pixels = items * pixelsPerItem;
      for (let pixel = 0; pixel < pixels; pixel += blockPixels) {
        const count = Math.min(blockPixels, pixels - pixel);
        kernels.im2colTransposedPacked(xRegion, pixel, count, aPacked);
        // Packing this block of dy (count × outC) costs 1/(2·taps·inC) of the GEMM and lets
        // the micro-kernel read B contiguously (measured faster than reading dy in place).
        kernels.packB(
          dyRegion + pixel * outChannels * 4,
          outChannels,
          1,
          count,
          outChannels,
          dyPacked,
        );
        kernels.gemmPacked(aPacked, dyPacked, depth, outChannels, count, dwRegion, outChannels, 1);
      }
    }
    gradient.finish();
  }
  dw.set(arena.read(dwRegion, depth * outChannels));
}
