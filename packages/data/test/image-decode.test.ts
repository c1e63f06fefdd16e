// Decoding image files to 8-bit pixels, gray/RGB conversion and bilinear resizing: the pieces the
// image-folder loader is made of, checked on hand-computed values.

import { encode as encodePng } from 'fast-png';
import jpeg from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import { decodeImage, resizeInto, toColorMode } from '../src/index.js';

describe('decodeImage', () => {
  it('decodes 8-bit gray, RGB and RGBA PNGs as stored', () => {
    const gray = decodeImage(
      encodePng({ width: 2, height: 1, channels: 1, depth: 8, data: Uint8Array.from([7, 250]) }),
      'gray.png',
    );
    expect(gray).toMatchObject({ width: 2, height: 1, channels: 1 });
    expect([...gray.data]).toEqual([7, 250]);
    const rgba = decodeImage(
      encodePng({
        width: 1,
        height: 1,
        channels: 4,
        depth: 8,
        data: Uint8Array.from([1, 2, 3, 4]),
      }),
      'rgba.png',
    );
    expect(rgba.channels).toBe(4);
    expect([...rgba.data]).toEqual([1, 2, 3, 4]);
  });

  it('scales a 16-bit PNG to 8 bits as libpng does (round(v / 257))', () => {
    const wide = decodeImage(
      encodePng({
        width: 3,
        height: 1,
        channels: 1,
        depth: 16,
        data: Uint16Array.from([0, 32896, 65535]),
      }),
      'wide.png',
    );
    expect([...wide.data]).toEqual([0, 128, 255]);
  });

  it('decodes a JPEG (jpeg-js) to RGB close to what was encoded', () => {
    const width = 16;
    const height = 16;
    const rgba = new Uint8Array(width * height * 4);
    for (let i = 0; i < width * height; i++) rgba.set([200, 60, 20, 255], i * 4);
    const bytes = new Uint8Array(jpeg.encode({ width, height, data: rgba }, 95).data);
    const image = decodeImage(bytes, 'flat.jpg');
    expect(image).toMatchObject({ width, height, channels: 3 });
    const [red, green, blue] = image.data;
    expect(Math.abs(red! - 200)).toBeLessThanOrEqual(3);
    expect(Math.abs(green! - 60)).toBeLessThanOrEqual(3);
    expect(Math.abs(blue! - 20)).toBeLessThanOrEqual(3);
  });

  it('names the file and says what came for bytes that are neither PNG nor JPEG', () => {
    expect(() => decodeImage(new TextEncoder().encode('GIF89a....'), 'cat.gif')).toThrow(
      'decodeImage: cat.gif is neither PNG (89 50 4e 47 0d 0a 1a 0a) nor JPEG (ff d8 ff); it starts with 47 49 46 38 39 61 2e 2e',
    );
    expect(() => decodeImage(new Uint8Array(0), 'empty.png')).toThrow('nothing (empty file)');
    const cut = encodePng({ width: 4, height: 4, channels: 1, depth: 8, data: new Uint8Array(16) });
    expect(() => decodeImage(cut.subarray(0, 30), 'cut.png')).toThrow(
      /decodeImage: cut\.png: corrupt or truncated PNG/,
    );
    expect(() => decodeImage(Uint8Array.from([0xff, 0xd8, 0xff, 0, 1, 2]), 'cut.jpg')).toThrow(
      /decodeImage: cut\.jpg: corrupt or unsupported JPEG/,
    );
  });
});

describe('toColorMode', () => {
  const rgb = {
    width: 3,
    height: 1,
    channels: 3 as const,
    data: Uint8Array.from([255, 0, 0, 0, 255, 0, 0, 0, 255]),
  };

  it("turns colour gray with PIL's integer ITU-R 601-2 luma", () => {
    // (19595 * 255 + 2^15) >> 16 = 76; green 150; blue 29.
    expect([...toColorMode(rgb, 'grayscale').data]).toEqual([76, 150, 29]);
  });

  it('drops alpha and repeats gray for RGB', () => {
    const grayAlpha = { width: 1, height: 1, channels: 2 as const, data: Uint8Array.from([9, 0]) };
    expect([...toColorMode(grayAlpha, 'rgb').data]).toEqual([9, 9, 9]);
    expect([...toColorMode(grayAlpha, 'grayscale').data]).toEqual([9]);
    const rgba = { width: 1, height: 1, channels: 4 as const, data: Uint8Array.from([1, 2, 3, 0]) };
    expect([...toColorMode(rgba, 'rgb').data]).toEqual([1, 2, 3]);
  });
});

describe('resizeInto', () => {
  const image = {
    width: 2,
    height: 2,
    channels: 1 as const,
    data: Uint8Array.from([0, 100, 200, 255]),
  };

  it('copies the same size exactly, scaled by 1/255 as toImageTensor does', () => {
    const out = new Float32Array(4);
    resizeInto(image, 2, 2, out, 0, 255);
    expect([...out]).toEqual([0, 100, 200, 255].map((v) => Math.fround(v / 255)));
  });

  it('enlarges bilinearly with half-pixel centres, as tf.image.resize', () => {
    const out = new Float32Array(16);
    resizeInto(image, 4, 4, out, 0, 1);
    // Sample positions (x + 0.5) / 2 - 0.5 = -0.25, 0.25, 0.75, 1.25, clamped to [0, 1].
    expect([...out.subarray(0, 4)]).toEqual([0, 25, 75, 100]);
    expect([...out.subarray(12, 16)]).toEqual([200, 213.75, 241.25, 255]);
    expect(out[5]).toBeCloseTo(
      0.75 * (0.75 * 0 + 0.25 * 100) + 0.25 * (0.75 * 200 + 0.25 * 255),
      4,
    );
  });

  it('shrinks to the mean of the middle pixels when halving', () => {
    const out = new Float32Array(1);
    resizeInto(image, 1, 1, out, 0, 1);
    expect(out[0]).toBeCloseTo((0 + 100 + 200 + 255) / 4, 4);
  });
});
