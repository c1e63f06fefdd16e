// Decoded 8-bit pixels to the float32 values a model eats: converted to gray or RGB, resized with
// bilinear interpolation (Keras's default for image_dataset_from_directory: tf.image.resize with
// half-pixel centres, no antialiasing) and scaled to [0, 1], written straight into a row of the
// batch tensor.

import type { DecodedImage } from './decode.js';

export type ColorMode = 'grayscale' | 'rgb';

export const CHANNELS_OF: Record<ColorMode, 1 | 3> = { grayscale: 1, rgb: 3 };

/**
 * The image in `mode`, still 8-bit. Gray from colour uses PIL's ITU-R 601-2 luma in its integer
 * form, (19595 R + 38470 G + 7471 B + 2^15) >> 16, as Keras's PIL-based loaders do; alpha is
 * dropped; gray to RGB repeats the gray value.
 */
export function toColorMode(image: DecodedImage, mode: ColorMode): DecodedImage {
  const { width, height, channels, data } = image;
  const pixels = width * height;
  const wanted = CHANNELS_OF[mode];
  if (channels === wanted) return image;
  const out = new Uint8Array(pixels * wanted);
  for (let p = 0, from = 0; p < pixels; p++, from += channels) {
    if (channels <= 2) {
      const gray = data[from]!;
      if (wanted === 1) out[p] = gray;
      else out.fill(gray, p * 3, p * 3 + 3);
    } else {
      const red = data[from]!;
      const green = data[from + 1]!;
      const blue = data[from + 2]!;
      if (wanted === 1) out[p] = (19595 * red + 38470 * green + 7471 * blue + 0x8000) >> 16;
      else {
        out[p * 3] = red;
        out[p * 3 + 1] = green;
        out[p * 3 + 2] = blue;
      }
    }
  }
  return { width, height, channels: wanted, data: out };
}

/**
 * Writes `image` resized to height x width into `out` at `offset` (NHWC, the image's channels),
 * each value divided by `scale` (255 for [0, 1], 1 for raw). Same size copies exactly.
 */
export function resizeInto(
  image: DecodedImage,
  height: number,
  width: number,
  out: Float32Array,
  offset: number,
  scale: number,
): void {
  const { channels, data } = image;
  if (image.width === width && image.height === height) {
    for (let i = 0; i < data.length; i++) out[offset + i] = data[i]! / scale;
    return;
  }
  const rowScale = image.height / height;
  const columnScale = image.width / width;
  const xs = Array.from({ length: width }, (_, x) =>
    sourceSpan((x + 0.5) * columnScale - 0.5, image.width),
  );
  for (let y = 0; y < height; y++) {
    const [top, bottom, dy] = sourceSpan((y + 0.5) * rowScale - 0.5, image.height);
    for (let x = 0; x < width; x++) {
      const [left, right, dx] = xs[x]!;
      for (let c = 0; c < channels; c++) {
        const at = (row: number, column: number) =>
          data[(row * image.width + column) * channels + c]!;
        const upper = at(top, left) + (at(top, right) - at(top, left)) * dx;
        const lower = at(bottom, left) + (at(bottom, right) - at(bottom, left)) * dx;
        out[offset + (y * width + x) * channels + c] = (upper + (lower - upper) * dy) / scale;
      }
    }
  }
}

/** The two source indices around a sample position (clamped to the image) and the weight of the second. */
function sourceSpan(position: number, size: number): [number, number, number] {
  const clamped = Math.min(Math.max(position, 0), size - 1);
  const low = Math.floor(clamped);
  const high = Math.min(low + 1, size - 1);
  return [low, high, clamped - low];
}
