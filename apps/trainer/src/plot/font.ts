// A 5x7 bitmap font (capitals, digits and the punctuation a chart needs) for the training-curve
// picture, so no font files or native text rendering are needed. Lower-case text is drawn in
// capitals.

import type { Color, Raster } from './raster.js';

export const GLYPH_WIDTH = 5;
export const GLYPH_HEIGHT = 7;
/** One blank column between glyphs. */
const GLYPH_ADVANCE = GLYPH_WIDTH + 1;

// Each glyph is 7 rows of 5 columns, '#' for ink, written in the picture's orientation.
const GLYPHS: Record<string, string> = {
  A: '.###. #...# #...# ##### #...# #...# #...#',
  B: '####. #...# #...# ####. #...# #...# ####.',
  C: '.###. #...# #.... #.... #.... #...# .###.',
  D: '####. #...# #...# #...# #...# #...# ####.',
  E: '##### #.... #.... ####. #.... #.... #####',
  F: '##### #.... #.... ####. #.... #.... #....',
  G: '.###. #...# #.... #.### #...# #...# .####',
  H: '#...# #...# #...# ##### #...# #...# #...#',
  I: '.###. ..#.. ..#.. ..#.. ..#.. ..#.. .###.',
  J: '..### ...#. ...#. ...#. ...#. #..#. .##..',
  K: '#...# #..#. #.#.. ##... #.#.. #..#. #...#',
  L: '#.... #.... #.... #.... #.... #.... #####',
  M: '#...# ##.## #.#.# #.#.# #...# #...# #...#',
  N: '#...# #...# ##..# #.#.# #..## #...# #...#',
  O: '.###. #...# #...# #...# #...# #...# .###.',
  P: '####. #...# #...# ####. #.... #.... #....',
  Q: '.###. #...# #...# #...# #.#.# #..#. .##.#',
  R: '####. #...# #...# ####. #.#.. #..#. #...#',
  S: '.#### #.... #.... .###. ....# ....# ####.',
  T: '##### ..#.. ..#.. ..#.. ..#.. ..#.. ..#..',
  U: '#...# #...# #...# #...# #...# #...# .###.',
  V: '#...# #...# #...# #...# #...# .#.#. ..#..',
  W: '#...# #...# #...# #.#.# #.#.# #.#.# .#.#.',
  X: '#...# #...# .#.#. ..#.. .#.#. #...# #...#',
  Y: '#...# #...# .#.#. ..#.. ..#.. ..#.. ..#..',
  Z: '##### ....# ...#. ..#.. .#... #.... #####',
  '0': '.###. #...# #..## #.#.# ##..# #...# .###.',
  '1': '..#.. .##.. ..#.. ..#.. ..#.. ..#.. .###.',
  '2': '.###. #...# ....# ...#. ..#.. .#... #####',
  '3': '##### ...#. ..#.. ...#. ....# #...# .###.',
  '4': '...#. ..##. .#.#. #..#. ##### ...#. ...#.',
  '5': '##### #.... ####. ....# ....# #...# .###.',
  '6': '..##. .#... #.... ####. #...# #...# .###.',
  '7': '##### ....# ...#. ..#.. .#... .#... .#...',
  '8': '.###. #...# #...# .###. #...# #...# .###.',
  '9': '.###. #...# #...# .#### ....# ...#. .##..',
  ' ': '..... ..... ..... ..... ..... ..... .....',
  '.': '..... ..... ..... ..... ..... .##.. .##..',
  ',': '..... ..... ..... ..... .##.. ..#.. .#...',
  '-': '..... ..... ..... ##### ..... ..... .....',
  '+': '..... ..#.. ..#.. ##### ..#.. ..#.. .....',
  ':': '..... .##.. .##.. ..... .##.. .##.. .....',
  '%': '##... ##..# ...#. ..#.. .#... #..## ...##',
  '(': '...#. ..#.. .#... .#... .#... ..#.. ...#.',
  ')': '.#... ..#.. ...#. ...#. ...#. ..#.. .#...',
  '/': '..... ....# ...#. ..#.. .#... #.... .....',
  _: '..... ..... ..... ..... ..... ..... #####',
  '?': '.###. #...# ....# ...#. ..#.. ..... ..#..',
};

const BITMAPS = new Map<string, boolean[][]>(
  Object.entries(GLYPHS).map(([character, rows]) => [
    character,
    rows.split(' ').map((row) => [...row].map((cell) => cell === '#')),
  ]),
);

/** Width in pixels of `text` drawn at `scale` (no trailing gap). */
export function textWidth(text: string, scale: number): number {
  return text.length === 0 ? 0 : (text.length * GLYPH_ADVANCE - 1) * scale;
}

export function textHeight(scale: number): number {
  return GLYPH_HEIGHT * scale;
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
  let penX = Math.round(x);
  const top = Math.round(y);
  for (const character of text.toUpperCase()) {
    const bitmap = BITMAPS.get(character) ?? BITMAPS.get('?')!;
    bitmap.forEach((row, rowIndex) => {
      row.forEach((ink, columnIndex) => {
        if (ink)
          raster.fillRect(penX + columnIndex * scale, top + rowIndex * scale, scale, scale, color);
      });
    });
    penX += GLYPH_ADVANCE * scale;
  }
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
  const length = textWidth(text, scale);
  let penY = Math.round(y) + length;
  const left = Math.round(x);
  for (const character of text.toUpperCase()) {
    const bitmap = BITMAPS.get(character) ?? BITMAPS.get('?')!;
    bitmap.forEach((row, rowIndex) => {
      row.forEach((ink, columnIndex) => {
        if (ink)
          raster.fillRect(
            left + rowIndex * scale,
            penY - (columnIndex + 1) * scale,
            scale,
            scale,
            color,
          );
      });
    });
    penY -= GLYPH_ADVANCE * scale;
  }
}
