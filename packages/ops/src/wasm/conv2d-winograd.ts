// Winograd convolution F(m×m, 3×3) on the WebAssembly kernels (assembly/winograd.ts and
// winograd-gradient.ts), for 3×3 filters at stride 1 and dilation 1: the forward pass (and the
// input gradient, which conv2d.ts turns into a forward pass with the flipped filter) and the
// filter gradient. Like the direct kernels, work goes in groups of whole batch items copied into
// wasm memory; within a group, tiles go in blocks small enough for the transformed tiles and the
// GEMMs' products to stay in L2 while the α² GEMMs run over them.

import type { ConvEpilogue, GradientPrologue, Range } from '../backend.js';
import type { WindowGeometry } from '../geometry.js';
import { itemsPerGroup } from './blocking.js';
import { prepare } from './conv-setup.js';
import { preparePrologue } from './gradient-prologue.js';
import type { KernelInstance } from './instance.js';

/** The output tile's side: F(2×2, 3×3) or F(4×4, 3×3). */
export type WinogradTile = 2 | 4;

/** Floats of transformed tiles and products a block of tiles may take: 512 KiB, about L2. */
const TILE_BLOCK_FLOATS = 128 * 1024;
/**
 * But at least this many tiles: each block's GEMMs read all of the transformed filter (36 · inC ·
 * outC floats, 37 MB for 512 → 512 channels), which a block of a few tiles would not repay.
 */
const MIN_BLOCK_TILES = 32;

const roundUp = (value: number, multiple: number) => Math.ceil(value / multiple) * multiple;

/** Tiles per block (a multiple of 4) when each tile takes `floatsPerTile`. */
function tilesPerBlock(floatsPerTile: number, tiles: number): number {
  const fit = Math.max(MIN_BLOCK_TILES, Math.floor(TILE_BLOCK_FLOATS / floatsPerTile / 4) * 4);
  return Math.min(fit, roundUp(tiles, 4));
}

function tilesPerItem(g: WindowGeometry, tile: WinogradTile): number {
  return Math.ceil(g.outHeight / tile) * Math.ceil(g.outWidth / tile);
}

/** out[batch] = conv2d(x[batch], filter) by Winograd, then the epilogue; a prologue applies to x. */
export function conv2dWinogradWasm(
  instance: KernelInstance,
  x: Float32Array,
  filter: Float32Array,
  out: Float32Array,
  g: WindowGeometry,
  batch: Range,
  tile: WinogradTile,
  epilogue?: ConvEpilogue,
  prologue?: GradientPrologue,
): void {
  if (batch.end <= batch.start) return;
  const { kernels, arena } = instance;
  const { inItem, outItem } = prepare(instance, g);
  const { inChannels, outChannels } = g;
  const points = (tile + 2) ** 2;
  const rowFloats = roundUp(outChannels, 4);

  const filterFloats = 9 * inChannels * outChannels;
  const filterRegion = arena.allocate(filterFloats);
  arena.write(filterRegion, filter.subarray(0, filterFloats));
  const transformedFilter = arena.allocate(points * inChannels * roundUp(outChannels, 8));
  kernels.winogradFilter(filterRegion, outChannels, transformedFilter, tile);
  const bias = arena.allocate(rowFloats);
  arena.zero(bias, rowFloats);
  if (epilogue?.bias) arena.write(bias, epilogue.bias.subarray(0, outChannels));
  const addBias = epilogue ? 1 : 0;
  const relu = epilogue?.relu ? 1 : 0;

  const groupItems = itemsPerGroup(inItem + outItem, batch.end - batch.start);
  const blockTiles = tilesPerBlock(
    points * (inChannels + rowFloats),
    groupItems * tilesPerItem(g, tile),
  );
  const xRegion = arena.allocate(groupItems * inItem);
  const outRegion = arena.allocate(groupItems * outItem);
  const transformed = arena.allocate(points * blockTiles * inChannels);
  const products = arena.allocate(points * blockTiles * rowFloats);
  const input = preparePrologue(instance, prologue, inChannels, groupItems * inItem);
  for (let item = batch.start; item < batch.end; item += groupItems) {
    const items = Math.min(groupItems, batch.end - item);
    input.stage(xRegion, x, item * inItem, (item + items) * inItem);
    const tiles = items * tilesPerItem(g, tile);
    for (let first = 0; first < tiles; first += blockTiles) {
      const count = Math.min(blockTiles, tiles - first);
      kernels.winogradInputRows(xRegion, first, count, transformed, tile);
      kernels.winogradMultiply(transformed, transformedFilter, products, count, outChannels, tile);
      kernels.winogradOutput(
        products,
        first,
        count,
        outChannels,
        outRegion,
        bias,
        addBias,
        relu,
        tile,
      );
    }
    out.set(arena.read(outRegion, items * outItem), item * outItem);
  }
  input.finish();
}

/**
 * dw = the filter gradient over batch by Winograd (overwrites dw), for dy through the prologue
 * (whose bias sums are added to).
 */
export function conv2dBackpropFilterWinogradWasm(
  instance: KernelInstance,
  x: Float32Array,
  dy: Float32Array,
  dw: Float32Array,
  g: WindowGeometry,
  batch: Range,
  tile: WinogradTile,
  prologue?: GradientPrologue,
): void {
  const { kernels, arena } = instance;
  const { inItem, outItem } = prepare(instance, g);
  const { inChannels, outChannels } = g;
  const points = (tile + 2) ** 2;
  const sumsFloats = points * inChannels * roundUp(outChannels, 4);
  const sums = arena.allocate(sumsFloats);
  // The first block's GEMMs overwrite the sums (a one-example call skips zeroing 36 × inC × outC
  // floats); only an empty range needs them zeroed.
  if (batch.end <= batch.start) arena.zero(sums, sumsFloats);
  else {
    const groupItems = itemsPerGroup(inItem + outItem, batch.end - batch.start);
    const channelFloats = roundUp(inChannels, 4) + roundUp(outChannels, 8);
    const blockTiles = tilesPerBlock(points * channelFloats, groupItems * tilesPerItem(g, tile));
    const xRegion = arena.allocate(groupItems * inItem);
    const dyRegion = arena.allocate(groupItems * outItem);
    const transformedInput = arena.allocate(points * roundUp(inChannels, 4) * blockTiles);
    const transformedGradient = arena.allocate(points * blockTiles * roundUp(outChannels, 8));
    const gradient = preparePrologue(instance, prologue, outChannels, groupItems * outItem);
    let accumulate = 0;
    for (let item = batch.start; item < batch.end; item += groupItems) {
      const items = Math.min(groupItems, batch.end - item);
      arena.write(xRegion, x.subarray(item * inItem, (item + items) * inItem));
      gradient.stage(dyRegion, dy, item * outItem, (item + items) * outItem);
      const tiles = items * tilesPerItem(g, tile);
      for (let first = 0; first < tiles; first += blockTiles) {
        const count = Math.min(blockTiles, tiles - first);
        kernels.winogradInputColumns(xRegion, first, count, transformedInput, tile);
        kernels.winogradGradientColumns(
          dyRegion,
          first,
          count,
          outChannels,
          transformedGradient,
          tile,
        );
        kernels.winogradMultiplyFilter(
          transformedInput,
          transformedGradient,
          sums,
          count,
          outChannels,
          accumulate,
          tile,
        );
        accumulate = 1;
      }
    }
    gradient.finish();
  }
  const dwFloats = 9 * inChannels * outChannels;
  const dwRegion = arena.allocate(dwFloats);
  kernels.winogradFilterGradient(sums, outChannels, dwRegion, tile);
  dw.set(arena.read(dwRegion, dwFloats));
}
