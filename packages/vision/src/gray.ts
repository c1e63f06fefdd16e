// RGB -> gray exactly as OpenCV 4's cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) computes it, so the
// chapter's `image` array comes out bit for bit. OpenCV does not multiply by 0.299/0.587/0.114 in
// floating point for integer images: it uses those BT.601 weights scaled by 2^15 and rounded
// (R 9798, G 19235, B 3735, summing to exactly 32768), adds half (2^14) and shifts right by 15
// (imgproc/src/color.hpp `gray_shift`, RY15/GY15/BY15; color_rgb.simd.hpp RGB2Gray<uchar> and
// <ushort>). OpenCV holds pixels as BGR; a PNG holds RGB, so here the weights go to R, G, B by name.

import {
  assertImage,
  colorChannels,
  type GrayImage,
  type Image,
  type PixelData,
  pixelTypeOf,
} from './image.js';

export const GRAY_SHIFT = 15;
/** OpenCV's fixed-point BT.601 weights for R, G and B (sum 2^15). */
export const GRAY_WEIGHTS = { red: 9798, green: 19235, blue: 3735 } as const;

const ROUNDING = 1 << (GRAY_SHIFT - 1);
const FLOAT_WEIGHTS = { red: 0.299, green: 0.587, blue: 0.114 } as const;

/**
 * A one-channel gray image. Alpha is dropped (cv2.imread with its default flag drops it too);
 * a gray or gray+alpha image gives its gray channel. uint8 and uint16 use OpenCV's fixed-point
 * rounding; float32 uses the plain weights (as OpenCV does for float images).
 */
export function toGray<T extends PixelData>(image: Image<T>): GrayImage<T> {
  assertImage(image, 'toGray');
  const { width, height, channels, data } = image;
  const pixels = width * height;
  const type = pixelTypeOf(data);
  const out = (
    type === 'uint8'
      ? new Uint8Array(pixels)
      : type === 'uint16'
        ? new Uint16Array(pixels)
        : new Float32Array(pixels)
  ) as T;
  if (colorChannels(channels) === 1) {
    for (let i = 0; i < pixels; i++) out[i] = data[i * channels]!;
    return { width, height, channels: 1, data: out };
  }
  if (type === 'float32') {
    for (let i = 0, at = 0; i < pixels; i++, at += channels) {
      out[i] =
        data[at]! * FLOAT_WEIGHTS.red +
        data[at + 1]! * FLOAT_WEIGHTS.green +
        data[at + 2]! * FLOAT_WEIGHTS.blue;
    }
    return { width, height, channels: 1, data: out };
  }
  const { red, green, blue } = GRAY_WEIGHTS;
  for (let i = 0, at = 0; i < pixels; i++, at += channels) {
    // The largest sum, 65535 * 32768 + 2^14, still fits an unsigned 32-bit shift.
    out[i] =
      (data[at]! * red + data[at + 1]! * green + data[at + 2]! * blue + ROUNDING) >>> GRAY_SHIFT;
  }
  return { width, height, channels: 1, data: out };
}
