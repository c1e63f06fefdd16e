// Text on the training-curve picture, drawn with @convoy/vision's built-in bitmap font (the one
// its figures use), so no font files or native text rendering are needed. This file only adds
// what a chart needs beyond that: drawing onto a Raster, and a label turned a quarter turn.

import { GLYPH_ADVANCE, GLYPH_HEIGHT, GLYPH_WIDTH, glyph } from '@convoy/vision';
import type { Color, Raster } from './raster.js';

/** Width in pixels of `text` drawn at `scale` (no trailing gap). */
export function textWidth(text: string, scale: number): number {
  const length = [...text].length;
  return length === 0 ? 0 : (length * GLYPH_ADVANCE - 1) * scale;
}

export function textHeight(scale: number): number {
  return GLYPH_HEIGHT * scale;
}

/**
 * Calls `ink(column, row)` for every dot of `text`, in text coordinates: `column` runs along the
 * line from 0, `row` down from the top of the character cell.
 */
function forEachDot(text: string, ink: (column: number, row: number) => void): void {
  let pen = 0;
  for (const character of text) {
    const rows = glyph(character);
    for (let row = 0; row < GLYPH_HEIGHT; row++) {
      const bits = rows[row]!;
      for (let column = 0; column < GLYPH_WIDTH; column++) {
        if (bits & (0x10 >> column)) ink(pen + column, row);
      }
    }
    pen += GLYPH_ADVANCE;
  }
}

/** Draws `text` with its top-left corner at (x, y); unknown characters show as '?'. */
export function drawText(
  raster: Raster,
  text: string,
  x: number,
  y: number,
  color: Color,
  scale = 1,
): void {
  const left = Math.round(x);
  const top = Math.round(y);
  forEachDot(text, (column, row) => {
    raster.fillRect(left + column * scale, top + row * scale, scale, scale, color);
  });
}

/** Draws `text` rotated a quarter turn counter-clockwise (for a y-axis label), reading bottom-up. */
export function drawTextVertical(
  raster: Raster,
  text: string,
  x: number,
  y: number,
  color: Color,
  scale = 1,
): void {
  // (x, y) is the top-left of the rotated box; the first character sits at the bottom.
  const left = Math.round(x);
  const bottom = Math.round(y) + textWidth(text, scale);
  forEachDot(text, (column, row) => {
    raster.fillRect(left + row * scale, bottom - (column + 1) * scale, scale, scale, color);
  });
}
