// The blocky 5x7 letters painted onto the faces of the sample cube (sample.ts draws them through
// each face's own coordinates, like lettering on a real object). Printable ASCII, with two more
// rows for the descenders of g, j, p, q and y. Each glyph is 7 (or 9) rows of 5 bits written as 2
// hex digits per row; bit 4 (0x10) is the leftmost column. Labels on figures and charts are real
// text (DejaVu Sans, drawn by resvg), not these.

export const GLYPH_WIDTH = 5;
/** Rows of a character cell: 7 above the baseline and 2 for descenders. */
export const GLYPH_HEIGHT = 9;
/** Horizontal step from one character to the next (glyph plus one column of space). */
export const GLYPH_ADVANCE = GLYPH_WIDTH + 1;

const GLYPHS: Record<string, string> = {
  ' ': '00000000000000',
  '!': '04040404040004',
  '"': '0a0a0000000000',
  '#': '0a0a1f0a1f0a0a',
  $: '040f140e051e04',
  '%': '18190204081303',
  '&': '0c12140815120d',
  "'": '04040000000000',
  '(': '02040808080402',
  ')': '08040202020408',
  '*': '0004150e150400',
  '+': '0004041f040400',
  ',': '00000000040408',
  '-': '0000001f000000',
  '.': '00000000000004',
  '/': '00010204081000',
  '0': '0e11131519110e',
  '1': '040c040404040e',
  '2': '0e11010204081f',
  '3': '1f02040201110e',
  '4': '02060a121f0202',
  '5': '1f101e0101110e',
  '6': '0608101e11110e',
  '7': '1f010204080808',
  '8': '0e11110e11110e',
  '9': '0e11110f01020c',
  ':': '00000400000400',
  ';': '00000400040408',
  '<': '02040810080402',
  '=': '00001f001f0000',
  '>': '08040201020408',
  '?': '0e110102040004',
  '@': '0e11010d15150e',
  A: '0e1111111f1111',
  B: '1e11111e11111e',
  C: '0e11101010110e',
  D: '1c12111111121c',
  E: '1f10101e10101f',
  F: '1f10101e101010',
  G: '0e11101711110f',
  H: '1111111f111111',
  I: '0e04040404040e',
  J: '0702020202120c',
  K: '11121418141211',
  L: '1010101010101f',
  M: '111b1515111111',
  N: '11111915131111',
  O: '0e11111111110e',
  P: '1e11111e101010',
  Q: '0e11111115120d',
  R: '1e11111e141211',
  S: '0f10100e01011e',
  T: '1f040404040404',
  U: '1111111111110e',
  V: '11111111110a04',
  W: '1111111515150a',
  X: '11110a040a1111',
  Y: '1111110a040404',
  Z: '1f01020408101f',
  '[': '0e08080808080e',
  '\\': '00100804020100',
  ']': '0e02020202020e',
  '^': '040a1100000000',
  _: '0000000000001f',
  '`': '08040000000000',
  a: '00000e010f110f',
  b: '1010161911111e',
  c: '00000e1010110e',
  d: '01010d1311110f',
  e: '00000e111f100e',
  f: '0609081c080808',
  g: '00000f1111110f010e',
  h: '10101619111111',
  i: '04000c0404040e',
  j: '02000602020202120c',
  k: '10101214181412',
  l: '0c04040404040e',
  m: '00001a15151111',
  n: '00001619111111',
  o: '00000e1111110e',
  p: '00001e1111111e1010',
  q: '00000f1111110f0101',
  r: '00001619101010',
  s: '00000e100e011e',
  t: '08081c08080906',
  u: '0000111111130d',
  v: '00001111110a04',
  w: '0000111115150a',
  x: '0000110a040a11',
  y: '0000111111110f010e',
  z: '00001f0204081f',
  '{': '02040408040402',
  '|': '04040404040404',
  '}': '08040402040408',
  '~': '00000815020000',
};

const BITMAPS = new Map<string, Uint8Array>(
  Object.entries(GLYPHS).map(([char, hex]) => [
    char,
    Uint8Array.from({ length: GLYPH_HEIGHT }, (_, row) =>
      Number.parseInt(hex.slice(row * 2, row * 2 + 2), 16),
    ),
  ]),
);

/** The 9 row bitmaps of a character; characters the font lacks are drawn as '?'. */
export function glyph(char: string): Uint8Array {
  return BITMAPS.get(char) ?? BITMAPS.get('?')!;
}
