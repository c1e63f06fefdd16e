import { describe, expect, it } from 'vitest';
import { GRAY_WEIGHTS, type Image, toGray } from '../src/index.js';

function rgb(pixels: number[][]): Image<Uint8Array> {
  return { width: pixels.length, height: 1, channels: 3, data: Uint8Array.from(pixels.flat()) };
}

describe('toGray (OpenCV COLOR_BGR2GRAY rounding)', () => {
  it('gives the values cv2.cvtColor gives for pure colours', () => {
    // cv2.cvtColor(np.uint8([[[B, G, R]]]), cv2.COLOR_BGR2GRAY): red 76, green 150, blue 29.
    const gray = toGray(
      rgb([
        [255, 0, 0],
        [0, 255, 0],
        [0, 0, 255],
        [255, 255, 255],
        [0, 0, 0],
      ]),
    );
    expect([...gray.data]).toEqual([76, 150, 29, 255, 0]);
    expect(gray.channels).toBe(1);
  });

  it('applies the weights to R, G and B of a PNG (RGB order), not to BGR', () => {
    const [red, blue] = toGray(
      rgb([
        [200, 10, 10],
        [10, 10, 200],
      ]),
    ).data;
    expect(red).toBeGreaterThan(blue!);
  });

  it('uses 15-bit fixed point with rounding, not float arithmetic', () => {
    expect(GRAY_WEIGHTS.red + GRAY_WEIGHTS.green + GRAY_WEIGHTS.blue).toBe(32768);
    // (R*9798 + G*19235 + B*3735 + 16384) >> 15:
    // [100, 50, 200] -> 2704934 >> 15 = 82; [13, 7, 201] -> 1029138 >> 15 = 31; [0, 1, 0] -> 1.
    expect([
      ...toGray(
        rgb([
          [100, 50, 200],
          [13, 7, 201],
          [0, 1, 0],
        ]),
      ).data,
    ]).toEqual([82, 31, 1]);
    // Where rounding 0.299R + 0.587G + 0.114B in floating point gives one more:
    // [0, 5, 119] is 16.501 in float (-> 17) but 16 in OpenCV's fixed point.
    expect([
      ...toGray(
        rgb([
          [0, 5, 119],
          [0, 50, 168],
        ]),
      ).data,
    ]).toEqual([16, 48]);
  });

  it('drops alpha and keeps the gray channel of gray images', () => {
    const rgba: Image<Uint8Array> = {
      width: 1,
      height: 1,
      channels: 4,
      data: Uint8Array.from([255, 0, 0, 7]),
    };
    expect([...toGray(rgba).data]).toEqual([76]);
    const grayAlpha: Image<Uint8Array> = {
      width: 2,
      height: 1,
      channels: 2,
      data: Uint8Array.from([12, 255, 200, 0]),
    };
    expect([...toGray(grayAlpha).data]).toEqual([12, 200]);
  });

  it('converts 16-bit images with the same fixed-point weights', () => {
    const image: Image<Uint16Array> = {
      width: 2,
      height: 1,
      channels: 3,
      data: Uint16Array.from([65535, 0, 0, 65535, 65535, 65535]),
    };
    const gray = toGray(image);
    expect(gray.data).toBeInstanceOf(Uint16Array);
    // (65535 * 9798 + 16384) >> 15 = 19596
    expect([...gray.data]).toEqual([19596, 65535]);
  });
});
