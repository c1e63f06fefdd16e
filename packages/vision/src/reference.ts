// The chapter's own loops (517_1 / 517_2), pixel by pixel, as the oracle for filter2d and maxPool.
// These are deliberately plain and slow; the real work goes through @convoy/ops. Sums are exact
// (float64 over integer weights, one division by the kernel's divisor), then clipped to the
// pixel type's range and truncated toward zero, as storing into the chapter's uint8 array does.

import {
  allocatePixels,
  assertImage,
  colorChannels,
  type Image,
  maxValueOf,
  type PixelData,
  pixelTypeOf,
} from './image.js';
import { type Kernel, validateKernel } from './kernels.js';
import { type PaddingMode, sourceIndex } from './padding.js';

export interface ReferenceFilterOptions {
  padding?: PaddingMode;
  clip?: boolean;
}

/**
 * window = image_pad[row:row+kh, col:col+kw]; out[row, col] = clip(sum(window * kernel), 0, max),
 * for every colour channel; alpha is copied. With clip: false the result is float32.
 */
export function referenceFilter(
  image: Image,
  kernel: Kernel,
  options: ReferenceFilterOptions = {},
): Image {
  assertImage(image, 'referenceFilter');
  validateKernel(kernel, 'referenceFilter');
  const padding = options.padding ?? 'zero';
  const clip = options.clip ?? true;
  const { width, height, channels, data } = image;
  const type = pixelTypeOf(data);
  const outType = clip ? type : 'float32';
  // Float images are taken on the 0..255 scale of the chapter's arrays and are not truncated.
  const max = type === 'float32' ? 255 : maxValueOf(type);
  const out = allocatePixels(outType, data.length);
  const kh = kernel.weights.length;
  const kw = kernel.weights[0]!.length;
  const halfH = (kh - 1) / 2;
  const halfW = (kw - 1) / 2;
  const filtered = colorChannels(channels);
  for (let row = 0; row < height; row++) {
    for (let col = 0; col < width; col++) {
      for (let c = 0; c < channels; c++) {
        const at = (row * width + col) * channels + c;
        if (c >= filtered) {
          out[at] = data[at]!;
          continue;
        }
        let sum = 0;
        for (let i = 0; i < kh; i++) {
          const y = sourceIndex(row + i - halfH, height, padding);
          if (y < 0) continue;
          for (let j = 0; j < kw; j++) {
            const x = sourceIndex(col + j - halfW, width, padding);
            if (x < 0) continue;
            sum += data[(y * width + x) * channels + c]! * kernel.weights[i]![j]!;
          }
        }
        const value = sum / kernel.divisor;
        if (!clip) out[at] = value;
        else {
          const clipped = Math.min(Math.max(value, 0), max);
          out[at] = type === 'float32' ? clipped : Math.trunc(clipped);
        }
      }
    }
  }
  return { width, height, channels, data: out };
}

/** The chapter's max pooling: out[r, c] = max(image[s*r : s*r+size, s*c : s*c+size]), per channel. */
export function referenceMaxPool<T extends PixelData>(
  image: Image<T>,
  size = 2,
  stride = size,
): Image<T> {
  assertImage(image, 'referenceMaxPool');
  const { width, height, channels, data } = image;
  const outHeight = Math.floor((height - size) / stride) + 1;
  const outWidth = Math.floor((width - size) / stride) + 1;
  const out = allocatePixels(pixelTypeOf(data), outHeight * outWidth * channels) as T;
  for (let row = 0; row < outHeight; row++) {
    for (let col = 0; col < outWidth; col++) {
      for (let c = 0; c < channels; c++) {
        let best = Number.NEGATIVE_INFINITY;
        for (let i = 0; i < size; i++) {
          for (let j = 0; j < size; j++) {
            const v = data[((row * stride + i) * width + col * stride + j) * channels + c]!;
            if (v > best) best = v;
          }
        }
        out[(row * outWidth + col) * channels + c] = best;
      }
    }
  }
  return { width: outWidth, height: outHeight, channels, data: out };
}
