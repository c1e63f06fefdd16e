// toModelInput turns a drawing or a photo into 28×28 as Fashion-MNIST's images were made: item
// light on black, trimmed, longer side 28, centred. An item that already fills the frame comes back
// exactly from a 4× enlargement of it, on black or (inverted) on white.

import { describe, expect, it } from 'vitest';
import { type GrayPicture, toModelInput } from '../src/training/to-model-input.js';

/** A 28×28 "item": a light shape spanning all 28 columns, rows 6..21, with shading. */
function item(): Uint8Array {
  const pixels = new Uint8Array(28 * 28);
  for (let y = 6; y < 22; y++) {
    for (let x = 0; x < 28; x++) pixels[y * 28 + x] = 60 + ((x * 7 + y * 13) % 190);
  }
  return pixels;
}

function enlarge(
  pixels: Uint8Array,
  size: number,
  factor: number,
): GrayPicture & { data: Uint8Array } {
  const width = size * factor;
  const data = new Uint8Array(width * width);
  for (let y = 0; y < width; y++) {
    for (let x = 0; x < width; x++) {
      data[y * width + x] = pixels[Math.floor(y / factor) * size + Math.floor(x / factor)]!;
    }
  }
  return { width, height: width, data };
}

describe('toModelInput', () => {
  it('gives back a 28×28 item that fills the frame, from a 4× enlargement', () => {
    expect(toModelInput(enlarge(item(), 28, 4))).toEqual(item());
  });

  it('inverts a photo on a light background first: the item becomes light on black', () => {
    const picture = enlarge(item(), 28, 4);
    const onWhite = { ...picture, data: picture.data.map((v) => 255 - v) };
    // The background (0) becomes 255 and back to 0; the item 255 − v and back to v.
    expect(toModelInput(onWhite)).toEqual(item());
  });

  it('trims a small drawing, scales its longer side to 28 and centres it', () => {
    // A 20×10 white bar drawn anywhere on a 224×224 black pad.
    const width = 224;
    const data = new Uint8Array(width * width);
    for (let y = 150; y < 160; y++) data.fill(255, y * width + 31, y * width + 51);
    const out = toModelInput({ width, height: width, data });
    // 20×10 → 28×14, rows 7..20 of the 28.
    for (let y = 0; y < 28; y++) {
      const row = Array.from(out.subarray(y * 28, (y + 1) * 28));
      expect(row).toEqual(new Array(28).fill(y >= 7 && y < 21 ? 255 : 0));
    }
  });

  it('keeps a tall item centred across: a 10×20 bar becomes 14×28', () => {
    const width = 100;
    const data = new Uint8Array(width * width);
    for (let y = 40; y < 60; y++) data.fill(200, y * width + 5, y * width + 15);
    const out = toModelInput({ width, height: width, data });
    expect(Array.from(out.subarray(0, 28))).toEqual([
      ...new Array(7).fill(0),
      ...new Array(14).fill(200),
      ...new Array(7).fill(0),
    ]);
  });

  it('leaves a blank picture black', () => {
    expect(toModelInput({ width: 5, height: 5, data: new Uint8Array(25) })).toEqual(
      new Uint8Array(784),
    );
  });

  it('refuses bytes that do not match the size', () => {
    expect(() => toModelInput({ width: 4, height: 4, data: new Uint8Array(15) })).toThrow(
      'expected 4×4 = 16 gray bytes, got 15',
    );
  });
});
