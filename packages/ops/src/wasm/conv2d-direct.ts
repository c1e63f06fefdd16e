// conv2d forward on the direct kernel (assembly/direct.ts), for layers with 1–3 output channels:
// a grayscale photo filtered by one kernel, the textbook model 3's 1 → 2 layer, and the input
// gradient of a layer with 1–3 input channels (a transposed conv). Batch items that fit go to
// wasm memory in groups, as in the GEMM path; an item larger than the group budget (a 4000×3000
// photo is 12M floats in and out) goes in bands of output rows, each with the input rows its
// windows reach, so the wasm memory stays small and each band is still in cache when computed.

import type { ConvEpilogue, GradientPrologue, Range } from '../backend.js';
import type { WindowGeometry } from '../geometry.js';
import { GROUP_FLOATS, itemsPerGroup } from './blocking.js';
import { prepareEpilogue } from './epilogue.js';
import { preparePrologue } from './gradient-prologue.js';
import type { KernelInstance } from './instance.js';

const DIRECT_MAX_OUT_CHANNELS = 3;
/** The direct kernel reads padding taps from a zeros area of 1024 floats; stay well inside it. */
const DIRECT_MAX_IN_CHANNELS = 64;

/**
 * Few output channels waste most of an 8-column GEMM panel (and few input channels make the
 * im2col copy cost as much as the GEMM), so the direct kernel, vectorized over output pixels,
 * takes those layers. Measured with test/wasm/measure-direct.ts: see assembly/README.md.
 */
export function usesDirectConvolution(g: WindowGeometry): boolean {
  return g.outChannels <= DIRECT_MAX_OUT_CHANNELS && g.inChannels <= DIRECT_MAX_IN_CHANNELS;
}

/** A band of output rows [outStart, outEnd) and the input rows [inStart, inEnd) it reads. */
interface Band {
  outStart: number;
  outEnd: number;
  inStart: number;
  inEnd: number;
}

function bandOf(g: WindowGeometry, outStart: number, outEnd: number): Band {
  const clamp = (row: number) => Math.min(g.inHeight, Math.max(0, row));
  const inStart = clamp(outStart * g.strideHeight - g.padTop);
  const lastTap =
    (outEnd - 1) * g.strideHeight - g.padTop + (g.filterHeight - 1) * g.dilationHeight;
  return { outStart, outEnd, inStart, inEnd: Math.max(inStart, clamp(lastTap + 1)) };
}

/**
 * Sets the kernel's geometry to one band seen as an image of its own: inHeight is the band's input
 * rows, and the top padding shifts so that output row outStart + r still reads input row
 * (outStart + r)·stride − padTop + tap·dilation, now counted from inStart. Rows outside the band's
 * input are outside the real image too (or never read), so they read as padding.
 */
function setBandGeometry(instance: KernelInstance, g: WindowGeometry, band: Band): void {
  instance.kernels.setGeometry(
    band.inEnd - band.inStart,
    g.inWidth,
    g.inChannels,
    band.outEnd - band.outStart,
    g.outWidth,
    g.filterHeight,
    g.filterWidth,
    g.strideHeight,
    g.strideWidth,
    g.dilationHeight,
    g.dilationWidth,
    g.padTop + band.inStart - band.outStart * g.strideHeight,
    g.padLeft,
  );
}

/**
 * out[batch] = conv2d(x[batch], filter) by direct summation, vectorized over output pixels; x
 * goes through the prologue as it is copied in (the input gradient passes dy as x).
 */
export function conv2dDirectWasm(
  instance: KernelInstance,
  x: Float32Array,
  filter: Float32Array,
  out: Float32Array,
  g: WindowGeometry,
  batch: Range,
  epilogue?: ConvEpilogue,
  prologue?: GradientPrologue,
): void {
  if (g.inChannels > DIRECT_MAX_IN_CHANNELS) {
    throw new Error(
      `conv2d (wasm): the direct kernel takes at most ${DIRECT_MAX_IN_CHANNELS} input channels, got ${g.inChannels}`,
    );
  }
  if (batch.end <= batch.start) return;
  const { kernels, arena } = instance;
  arena.reset();
  const depth = g.filterHeight * g.filterWidth * g.inChannels;
  const inRow = g.inWidth * g.inChannels;
  const outRow = g.outWidth * g.outChannels;
  const inItem = g.inHeight * inRow;
  const outItem = g.outHeight * outRow;
  const filterRegion = arena.allocate(depth * g.outChannels);
  arena.write(filterRegion, filter.subarray(0, depth * g.outChannels));
  const finish = prepareEpilogue(instance, epilogue, g.outChannels);

  if (inItem + outItem <= GROUP_FLOATS) {
    const groupItems = itemsPerGroup(inItem + outItem, batch.end - batch.start);
    const xRegion = arena.allocate(groupItems * inItem);
    const outRegion = arena.allocate(groupItems * outItem);
    const input = preparePrologue(instance, prologue, g.inChannels, groupItems * inItem);
    const whole = { outStart: 0, outEnd: g.outHeight, inStart: 0, inEnd: g.inHeight };
    setBandGeometry(instance, g, whole);
    for (let item = batch.start; item < batch.end; item += groupItems) {
      const items = Math.min(groupItems, batch.end - item);
      input.stage(xRegion, x, item * inItem, (item + items) * inItem);
      kernels.convDirect(xRegion, filterRegion, g.outChannels, items, outRegion);
      finish?.(outRegion, items * g.outHeight * g.outWidth);
      out.set(arena.read(outRegion, items * outItem), item * outItem);
    }
    input.finish();
    return;
  }

  // Output rows per band: its output plus the input rows it reads fit the group budget.
  const inRowsPerOutRow = g.strideHeight;
  const halo = (g.filterHeight - 1) * g.dilationHeight + 1;
  const bandRows = Math.max(
    1,
    Math.floor((GROUP_FLOATS - halo * inRow) / (outRow + inRowsPerOutRow * inRow)),
  );
  const bandFloats = ((bandRows - 1) * g.strideHeight + halo) * inRow;
  const xRegion = arena.allocate(bandFloats);
  const outRegion = arena.allocate(bandRows * outRow);
  // Bands overlap by their halo, so a prologue's sums would count those rows twice: only the
  // input gradient (a ReLU, no sums) reaches this kernel with one.
  if (prologue?.biasSums) throw new Error('conv2d (wasm): bias sums over overlapping bands');
  const input = preparePrologue(instance, prologue, g.inChannels, bandFloats);
  for (let item = batch.start; item < batch.end; item++) {
    for (let row = 0; row < g.outHeight; row += bandRows) {
      const band = bandOf(g, row, Math.min(g.outHeight, row + bandRows));
      setBandGeometry(instance, g, band);
      const inFirst = item * inItem + band.inStart * inRow;
      input.stage(xRegion, x, inFirst, inFirst + (band.inEnd - band.inStart) * inRow);
      kernels.convDirect(xRegion, filterRegion, g.outChannels, 1, outRegion);
      const outRows = band.outEnd - band.outStart;
      finish?.(outRegion, outRows * g.outWidth);
      out.set(arena.read(outRegion, outRows * outRow), item * outItem + band.outStart * outRow);
    }
  }
}
