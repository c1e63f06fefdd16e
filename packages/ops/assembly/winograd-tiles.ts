// Two-dimensional Winograd transforms of one tile, four channels at a time (a vector's lanes), and
// where a tile sits. Each 2-D transform is its 1-D transform (winograd-rows.ts) down every column
// into a scratch tile, then along every row of the scratch into the destination, whose point
// (i, j) of the α×α grid is at dst + (i·α + j)·pointStride: the destinations are the GEMM operands'
// layouts, so no transform result is copied again. T is the tile type (winograd-rows.ts).

import { inChannels, inHeight, inWidth, outHeight, outWidth, padLeft, padTop } from './window';
import {
  filterPass,
  gradientPass,
  inputPass,
  outputPass,
  tapPass,
  tileSide,
} from './winograd-rows';

const VECTOR: usize = 16;
/** The column pass's results: at most α × α vectors (α ≤ 6). */
const columns = memory.data(36 * 16, 16);
/** A tile's input gathered with zeros for the padding and missing channels. */
export const gathered = memory.data(36 * 16, 16);
/** A filter's 3×3 taps, or their gradient, for 4 output channels. */
export const taps = memory.data(9 * 16, 16);

export function roundUp(value: i32, multiple: i32): i32 {
  return ((value + multiple - 1) / multiple) * multiple;
}

/** Bᵀ d B: the α×α window at src (rows `rowStride`, columns `colStride` bytes apart). */
export function transformInput<T>(
  src: usize,
  rowStride: usize,
  colStride: usize,
  dst: usize,
  pointStride: usize,
): void {
  const m = tileSide<T>();
  const alpha = m + 2;
  const scratchRow = <usize>alpha * VECTOR;
  inputPass<T>(alpha, src, colStride, rowStride, columns, VECTOR, scratchRow);
  inputPass<T>(alpha, columns, scratchRow, VECTOR, dst, <usize>alpha * pointStride, pointStride);
}

/** G g Gᵀ: the 3×3 taps at src (tap rows `rowStride`, tap columns `colStride` bytes apart). */
export function transformFilter<T>(
  src: usize,
  rowStride: usize,
  colStride: usize,
  dst: usize,
  pointStride: usize,
): void {
  const m = tileSide<T>();
  const alpha = m + 2;
  filterPass<T>(3, src, colStride, rowStride, columns, VECTOR, 3 * VECTOR);
  filterPass<T>(alpha, columns, 3 * VECTOR, VECTOR, dst, <usize>alpha * pointStride, pointStride);
}

/** Aᵀ M A: the α×α products at src (point stride `pointStride`) → m×m vectors at dst, row-major. */
export function transformOutput<T>(src: usize, pointStride: usize, dst: usize): void {
  const m = tileSide<T>();
  const alpha = m + 2;
  const scratchRow = <usize>alpha * VECTOR;
  outputPass<T>(alpha, src, pointStride, <usize>alpha * pointStride, columns, VECTOR, scratchRow);
  outputPass<T>(m, columns, scratchRow, VECTOR, dst, <usize>m * VECTOR, VECTOR);
}

/** A dy Aᵀ: the m×m output gradients at src (rows/columns strides) → α×α points at dst. */
export function transformGradient<T>(
  src: usize,
  rowStride: usize,
  colStride: usize,
  dst: usize,
  pointStride: usize,
): void {
  const m = tileSide<T>();
  const alpha = m + 2;
  const scratchRow = <usize>m * VECTOR;
  gradientPass<T>(m, src, colStride, rowStride, columns, VECTOR, scratchRow);
  gradientPass<T>(alpha, columns, scratchRow, VECTOR, dst, <usize>alpha * pointStride, pointStride);
}

/** Gᵀ M G: the α×α sums at src (point stride `pointStride`) → 3×3 taps, `tapStride` apart. */
export function transformTaps<T>(
  src: usize,
  pointStride: usize,
  dst: usize,
  tapStride: usize,
): void {
  const m = tileSide<T>();
  const alpha = m + 2;
  const scratchRow = <usize>alpha * VECTOR;
  tapPass<T>(alpha, src, pointStride, <usize>alpha * pointStride, columns, VECTOR, scratchRow);
  tapPass<T>(3, columns, scratchRow, VECTOR, dst, 3 * tapStride, tapStride);
}

/** Up to 4 floats at p as a vector; lanes past `lanes` are zero. */
export function loadLanes(p: usize, lanes: i32): v128 {
  if (lanes >= 4) return v128.load(p);
  let v = v128.load32_zero(p);
  if (lanes > 1) v = v128.load32_lane(p + 4, v, 1);
  if (lanes > 2) v = v128.load32_lane(p + 8, v, 2);
  return v;
}

/** The first `lanes` floats of v at p. */
export function storeLanes(p: usize, v: v128, lanes: i32): void {
  if (lanes >= 4) {
    v128.store(p, v);
    return;
  }
  v128.store32_lane(p, v, 0);
  if (lanes > 1) v128.store32_lane(p + 4, v, 1);
  if (lanes > 2) v128.store32_lane(p + 8, v, 2);
}

// Where the tile being worked on sits, set by locateTile: tiles are numbered across the batch
// items of the call, tile = (item·tilesHigh + tileRow)·tilesWide + tileCol, and cover the output
// in m×m squares (the last row and column of tiles may reach past the output's edge).
export let tileItem: i32 = 0;
export let tileRow: i32 = 0;
export let tileCol: i32 = 0;

export function tilesHigh(m: i32): i32 {
  return (outHeight + m - 1) / m;
}

export function tilesWide(m: i32): i32 {
  return (outWidth + m - 1) / m;
}

/** Sets tileItem, and tileRow/tileCol to the first output row and column of the tile. */
export function locateTile(tile: i32, m: i32): void {
  const wide = tilesWide(m);
  const perItem = tilesHigh(m) * wide;
  tileItem = tile / perItem;
  const rest = tile - tileItem * perItem;
  tileRow = (rest / wide) * m;
  tileCol = (rest % wide) * m;
}

/**
 * Gathers the α×α input window of the located tile, channels [channel, channel + lanes), into
 * `gathered` (row-major, one vector per pixel), with zeros in the padding and in missing lanes.
 */
export function gatherInput(x: usize, m: i32, channel: i32, lanes: i32): void {
  const alpha = m + 2;
  const top = tileRow - padTop;
  const left = tileCol - padLeft;
  const item = x + ((<usize>tileItem * <usize>(inHeight * inWidth) * <usize>inChannels) << 2);
  const zero = f32x4.splat(0);
  let out = gathered;
  for (let i = 0; i < alpha; i++) {
    const row = top + i;
    for (let j = 0; j < alpha; j++) {
      const col = left + j;
      let v = zero;
      if (<u32>row < <u32>inHeight && <u32>col < <u32>inWidth) {
        v = loadLanes(item + ((<usize>((row * inWidth + col) * inChannels + channel)) << 2), lanes);
      }
      v128.store(out, v);
      out += VECTOR;
    }
  }
}

/**
 * Byte address of the located tile's input window, channel `channel`, when the whole window lies
 * inside the image; 0 otherwise (then gatherInput it).
 */
export function inputWindow(x: usize, m: i32, channel: i32): usize {
  const alpha = m + 2;
  const top = tileRow - padTop;
  const left = tileCol - padLeft;
  if (top < 0 || left < 0 || top + alpha > inHeight || left + alpha > inWidth) return 0;
  const item = x + ((<usize>tileItem * <usize>(inHeight * inWidth) * <usize>inChannels) << 2);
  return item + ((<usize>((top * inWidth + left) * inChannels + channel)) << 2);
}
