// Plain-loop max and average pooling, forward and backward, over a batch range of NHWC data.
// Padding never wins a max and never counts in an average (TensorFlow's semantics): windows are
// clipped to the real input. poolingGeometry guarantees every clipped window keeps at least one
// real pixel.

import type { Range } from '../backend.js';
import type { WindowGeometry } from '../geometry.js';

/** Where the window of output `out` starts along one axis, in input pixels (negative in padding). */
function windowStart(out: number, stride: number, padBefore: number): number {
  return out * stride - padBefore;
}

export function maxPool2dReference(
  x: Float32Array,
  out: Float32Array,
  g: WindowGeometry,
  batch: Range,
): void {
  const { inHeight, inWidth, inChannels: channels, outHeight, outWidth } = g;
  const best = new Float32Array(channels);
  for (let b = batch.start; b < batch.end; b++) {
    for (let oy = 0; oy < outHeight; oy++) {
      const y0 = windowStart(oy, g.strideHeight, g.padTop);
      const yStart = Math.max(y0, 0);
      const yEnd = Math.min(y0 + g.filterHeight, inHeight);
      for (let ox = 0; ox < outWidth; ox++) {
        const x0 = windowStart(ox, g.strideWidth, g.padLeft);
        const xStart = Math.max(x0, 0);
        const xEnd = Math.min(x0 + g.filterWidth, inWidth);
        best.fill(Number.NEGATIVE_INFINITY);
        for (let iy = yStart; iy < yEnd; iy++) {
          for (let ix = xStart; ix < xEnd; ix++) {
            const xBase = ((b * inHeight + iy) * inWidth + ix) * channels;
            for (let c = 0; c < channels; c++) {
              const value = x[xBase + c]!;
              if (value > best[c]!) best[c] = value;
            }
          }
        }
        out.set(best, ((b * outHeight + oy) * outWidth + ox) * channels);
      }
    }
  }
}

/**
 * dx for the batch range: each window's gradient goes to the pixel that won its max (the first
 * one in row-major window order on ties, as TensorFlow does); the rest get zero.
 */
export function maxPool2dBackwardReference(
  dy: Float32Array,
  x: Float32Array,
  dx: Float32Array,
  g: WindowGeometry,
  batch: Range,
): void {
  const { inHeight, inWidth, inChannels: channels, outHeight, outWidth } = g;
  const imageSize = inHeight * inWidth * channels;
  const sums = new Float64Array(imageSize);
  const best = new Float32Array(channels);
  const winner = new Int32Array(channels);
  for (let b = batch.start; b < batch.end; b++) {
    sums.fill(0);
    const imageBase = b * imageSize;
    for (let oy = 0; oy < outHeight; oy++) {
      const y0 = windowStart(oy, g.strideHeight, g.padTop);
      const yStart = Math.max(y0, 0);
      const yEnd = Math.min(y0 + g.filterHeight, inHeight);
      for (let ox = 0; ox < outWidth; ox++) {
        const x0 = windowStart(ox, g.strideWidth, g.padLeft);
        const xStart = Math.max(x0, 0);
        const xEnd = Math.min(x0 + g.filterWidth, inWidth);
        best.fill(Number.NEGATIVE_INFINITY);
        // The first real pixel is the default winner, so an all -Infinity window still routes.
        winner.fill((yStart * inWidth + xStart) * channels);
        for (let c = 0; c < channels; c++) winner[c]! += c;
        for (let iy = yStart; iy < yEnd; iy++) {
          for (let ix = xStart; ix < xEnd; ix++) {
            const pixel = (iy * inWidth + ix) * channels;
            for (let c = 0; c < channels; c++) {
              const value = x[imageBase + pixel + c]!;
              if (value > best[c]!) {
                best[c] = value;
                winner[c] = pixel + c;
              }
            }
          }
        }
        const dyBase = ((b * outHeight + oy) * outWidth + ox) * channels;
        for (let c = 0; c < channels; c++) sums[winner[c]!]! += dy[dyBase + c]!;
      }
    }
    dx.set(sums, imageBase);
  }
}

/** out = mean of each window's real pixels (padding is not counted). */
export function avgPool2dReference(
  x: Float32Array,
  out: Float32Array,
  g: WindowGeometry,
  batch: Range,
): void {
  const { inHeight, inWidth, inChannels: channels, outHeight, outWidth } = g;
  const sums = new Float64Array(channels);
  for (let b = batch.start; b < batch.end; b++) {
    for (let oy = 0; oy < outHeight; oy++) {
      const y0 = windowStart(oy, g.strideHeight, g.padTop);
      const yStart = Math.max(y0, 0);
      const yEnd = Math.min(y0 + g.filterHeight, inHeight);
      for (let ox = 0; ox < outWidth; ox++) {
        const x0 = windowStart(ox, g.strideWidth, g.padLeft);
        const xStart = Math.max(x0, 0);
        const xEnd = Math.min(x0 + g.filterWidth, inWidth);
        sums.fill(0);
        for (let iy = yStart; iy < yEnd; iy++) {
          for (let ix = xStart; ix < xEnd; ix++) {
            const xBase = ((b * inHeight + iy) * inWidth + ix) * channels;
            for (let c = 0; c < channels; c++) sums[c]! += x[xBase + c]!;
          }
        }
        const count = (yEnd - yStart) * (xEnd - xStart);
        const outBase = ((b * outHeight + oy) * outWidth + ox) * channels;
        for (let c = 0; c < channels; c++) out[outBase + c] = sums[c]! / count;
      }
    }
  }
}

/** dx: each window's gradient shared equally among the real pixels it averaged. */
export function avgPool2dBackwardReference(
  dy: Float32Array,
  dx: Float32Array,
  g: WindowGeometry,
  batch: Range,
): void {
  const { inHeight, inWidth, inChannels: channels, outHeight, outWidth } = g;
  const imageSize = inHeight * inWidth * channels;
  const sums = new Float64Array(imageSize);
  for (let b = batch.start; b < batch.end; b++) {
    sums.fill(0);
    for (let oy = 0; oy < outHeight; oy++) {
      const y0 = windowStart(oy, g.strideHeight, g.padTop);
      const yStart = Math.max(y0, 0);
      const yEnd = Math.min(y0 + g.filterHeight, inHeight);
      for (let ox = 0; ox < outWidth; ox++) {
        const x0 = windowStart(ox, g.strideWidth, g.padLeft);
        const xStart = Math.max(x0, 0);
        const xEnd = Math.min(x0 + g.filterWidth, inWidth);
        const count = (yEnd - yStart) * (xEnd - xStart);
        const dyBase = ((b * outHeight + oy) * outWidth + ox) * channels;
        for (let iy = yStart; iy < yEnd; iy++) {
          for (let ix = xStart; ix < xEnd; ix++) {
            const pixel = (iy * inWidth + ix) * channels;
            for (let c = 0; c < channels; c++) sums[pixel + c]! += dy[dyBase + c]! / count;
          }
        }
      }
    }
    dx.set(sums, b * imageSize);
  }
}
