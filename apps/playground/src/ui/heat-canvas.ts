// Draws a grid of real numbers (a feature map, a filter, a vector laid out in rows) onto a canvas,
// one canvas pixel per value, mapping the range lo..hi to black..white. Unlike drawGray, values
// are rescaled: activations and weights have no fixed 0..255 range, so a panel picks one range
// for all its maps (the way ConvNetJS's demo shows a layer) to keep them comparable.

import { drawTiles, tileLayout } from './tiles.js';

/**
 * A height×width grid read out of a flat array: cell i (row by row) is values[offset + i·stride],
 * which covers a channel of an HWC image (offset = channel, stride = channels), a filter of an
 * HWIO kernel, and a vector laid out in rows. Cells from `count` on are left transparent.
 */
export interface HeatMap {
  height: number;
  width: number;
  values: ArrayLike<number>;
  offset: number;
  stride: number;
  /** Cells that hold a value (default height × width). */
  count?: number;
}

/** Cell (row, col) of a map, or NaN past its last value. */
export function cellOf(map: HeatMap, row: number, col: number): number {
  const i = row * map.width + col;
  return i < (map.count ?? map.height * map.width)
    ? map.values[map.offset + i * map.stride]!
    : Number.NaN;
}

export interface Range {
  lo: number;
  hi: number;
}

/** The smallest and largest of `values` (0..1 when there are none, so the scale is never empty). */
export function rangeOf(values: ArrayLike<number>): Range {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? { lo, hi } : { lo: 0, hi: 1 };
}

export function drawHeatMap(canvas: HTMLCanvasElement, map: HeatMap, range: Range): void {
  drawTiles(canvas, tileLayout(1, map.width, map.height, 1), [map], range);
}

/** 784 gray bytes (a 28×28 image) onto a canvas, as they are. */
export function drawPixels(canvas: HTMLCanvasElement, pixels: Uint8Array, size = 28): void {
  drawHeatMap(
    canvas,
    { height: size, width: size, values: pixels, offset: 0, stride: 1 },
    { lo: 0, hi: 255 },
  );
}

/** A number short enough to read in a grid: 3 significant digits (an exponent only below 0.001). */
export function formatValue(value: number): string {
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 100) return value.toFixed(0);
  if (magnitude >= 0.001) return value.toPrecision(3).replace(/\.?0+$/, '');
  return value.toExponential(1);
}
