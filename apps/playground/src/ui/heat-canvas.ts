// Draws a grid of real numbers (a feature map, a filter, a vector laid out in rows) onto a canvas,
// one canvas pixel per value, mapping the range lo..hi to black..white. Unlike drawGray, values
// are rescaled: activations and weights have no fixed 0..255 range, so a panel picks one range
// for all its maps (the way ConvNetJS's demo shows a layer) to keep them comparable.

import { drawTiles, tileLayout } from './tiles.js';

export interface HeatMap {
  height: number;
  width: number;
  /** The value at (row, col); NaN cells (past the end of a vector) are left transparent. */
  valueAt: (row: number, col: number) => number;
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
    { height: size, width: size, valueAt: (r, c) => pixels[r * size + c]! },
    { lo: 0, hi: 255 },
  );
}

/** A number short enough for a table cell: 3 significant digits, no exponent for small values. */
export function formatValue(value: number): string {
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 100) return value.toFixed(0);
  if (magnitude >= 0.001) return value.toPrecision(3).replace(/\.?0+$/, '');
  return value.toExponential(1);
}
