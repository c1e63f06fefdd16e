import { describe, expect, it } from 'vitest';
import { avgPool, type Image, maxPool, reference } from '../src/index.js';
import { randomImage } from './helpers.js';

describe('maxPool / avgPool on images', () => {
  it('maxPool equals the chapter loop for sizes and strides, per channel, keeping the type', () => {
    for (const [channels, size, stride] of [
      [1, 2, 2],
      [3, 2, 2],
      [4, 3, 2],
      [1, 3, 3],
    ] as const) {
      const image = randomImage(15, 11, channels, channels * 10 + size);
      const got = maxPool(image, { size, stride });
      const want = reference.referenceMaxPool(image, size, stride);
      expect([got.width, got.height, got.channels]).toEqual([want.width, want.height, channels]);
      expect(got.data).toBeInstanceOf(Uint8Array);
      expect([...got.data], `${channels}ch ${size}/${stride}`).toEqual([...want.data]);
    }
  });

  it('keeps 16-bit values exactly', () => {
    const image = randomImage(6, 4, 1, 2, 65535);
    const got = maxPool(image);
    expect(got.data).toBeInstanceOf(Uint16Array);
    expect([...got.data]).toEqual([...reference.referenceMaxPool(image, 2).data]);
  });

  it('avgPool averages each window and rounds integer images', () => {
    const image: Image<Uint8Array> = {
      width: 4,
      height: 2,
      channels: 1,
      data: Uint8Array.from([0, 1, 10, 20, 2, 2, 30, 41]),
    };
    // (0 + 1 + 2 + 2) / 4 = 1.25 -> 1; (10 + 20 + 30 + 41) / 4 = 25.25 -> 25
    expect([...avgPool(image).data]).toEqual([1, 25]);
    const float: Image<Float32Array> = { ...image, data: Float32Array.from(image.data) };
    expect([...avgPool(float).data]).toEqual([1.25, 25.25]);
  });

  it('rejects a window larger than the image', () => {
    const image = randomImage(3, 3, 1, 1);
    expect(() => maxPool(image, { size: 4 })).toThrow(
      /maxPool2d: window \[4, 4\].*larger than the padded input/,
    );
  });
});
