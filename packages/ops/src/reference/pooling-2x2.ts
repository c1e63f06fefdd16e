// Fast paths for the pooling every Keras CNN uses: 2x2 windows, stride 2, no padding. Windows
// then never overlap and never clip, so each kernel is one straight pass with the four pixels of
// a window read directly — no per-window scratch arrays or float64 image buffers like the general
// reference loops. Results equal the reference kernels bit for bit (test/pooling-2x2.test.ts):
// the same comparisons in the same order, and sums formed in the same order in float64.

import type { Range } from '../backend.js';
import type { WindowGeometry } from '../geometry.js';

/** Whether the 2x2 / stride 2 / unpadded kernels below apply to a pooling geometry. */
export function isPool2x2(g: WindowGeometry): boolean {
  return (
    g.filterHeight === 2 &&
    g.filterWidth === 2 &&
    g.strideHeight === 2 &&
    g.strideWidth === 2 &&
    g.padTop === 0 &&
    g.padBottom === 0 &&
    g.padLeft === 0 &&
    g.padRight === 0
  );
}

/** maxPool2dReference for isPool2x2 geometries: NaN never wins, as with the reference's `>`. */
export function maxPool2x2(x: Float32Array, out: Float32Array, g: WindowGeometry, batch: Range) {
  const { inHeight, inWidth, inChannels: channels, outHeight, outWidth } = g;
  const rowStride = inWidth * channels;
  for (let b = batch.start; b < batch.end; b++) {
    for (let oy = 0; oy < outHeight; oy++) {
      let outIndex = (b * outHeight + oy) * outWidth * channels;
      for (let ox = 0; ox < outWidth; ox++) {
        const topLeft = ((b * inHeight + 2 * oy) * inWidth + 2 * ox) * channels;
        for (let c = 0; c < channels; c++) {
          const first = topLeft + c;
          let best = Number.NEGATIVE_INFINITY;
          const a = x[first]!;
          if (a > best) best = a;
          const right = x[first + channels]!;
          if (right > best) best = right;
          const below = x[first + rowStride]!;
          if (below > best) best = below;
          const diagonal = x[first + rowStride + channels]!;
          if (diagonal > best) best = diagonal;
          out[outIndex++] = best;
        }
      }
    }
  }
}

/**
 * maxPool2dBackwardReference for isPool2x2 geometries, into a zero-filled dx: each window's dy
 * goes to the first pixel (row-major) holding its max, or to its first pixel when nothing beats
 * -Infinity. `+ 0` turns a -0 gradient into +0, as the reference's float64 sum from 0 does.
 */
export function maxPool2x2Backward(
  dy: Float32Array,
  x: Float32Array,
  dx: Float32Array,
  g: WindowGeometry,
  batch: Range,
) {
  const { inHeight, inWidth, inChannels: channels, outHeight, outWidth } = g;
  const rowStride = inWidth * channels;
  for (let b = batch.start; b < batch.end; b++) {
    for (let oy = 0; oy < outHeight; oy++) {
      let dyIndex = (b * outHeight + oy) * outWidth * channels;
      for (let ox = 0; ox < outWidth; ox++) {
        const topLeft = ((b * inHeight + 2 * oy) * inWidth + 2 * ox) * channels;
        for (let c = 0; c < channels; c++) {
          const first = topLeft + c;
          let best = Number.NEGATIVE_INFINITY;
          let winner = first;
          const a = x[first]!;
          if (a > best) best = a;
          const right = x[first + channels]!;
          if (right > best) {
            best = right;
            winner = first + channels;
          }
          const below = x[first + rowStride]!;
          if (below > best) {
            best = below;
            winner = first + rowStride;
          }
          if (x[first + rowStride + channels]! > best) winner = first + rowStride + channels;
          dx[winner] = dy[dyIndex++]! + 0;
        }
      }
    }
  }
}

/** avgPool2dReference for isPool2x2 geometries: (0 + a + b + c + d) / 4 in float64. */
export function avgPool2x2(x: Float32Array, out: Float32Array, g: WindowGeometry, batch: Range) {
  const { inHeight, inWidth, inChannels: channels, outHeight, outWidth } = g;
  const rowStride = inWidth * channels;
  for (let b = batch.start; b < batch.end; b++) {
    for (let oy = 0; oy < outHeight; oy++) {
      let outIndex = (b * outHeight + oy) * outWidth * channels;
      for (let ox = 0; ox < outWidth; ox++) {
        const topLeft = ((b * inHeight + 2 * oy) * inWidth + 2 * ox) * channels;
        for (let c = 0; c < channels; c++) {
          const first = topLeft + c;
          const sum =
            0 +
            x[first]! +
            x[first + channels]! +
            x[first + rowStride]! +
            x[first + rowStride + channels]!;
          out[outIndex++] = sum / 4;
        }
      }
    }
  }
}

/** avgPool2dBackwardReference for isPool2x2 geometries, into a zero-filled dx. */
export function avgPool2x2Backward(
  dy: Float32Array,
  dx: Float32Array,
  g: WindowGeometry,
  batch: Range,
) {
  const { inHeight, inWidth, inChannels: channels, outHeight, outWidth } = g;
  const rowStride = inWidth * channels;
  for (let b = batch.start; b < batch.end; b++) {
    for (let oy = 0; oy < outHeight; oy++) {
      let dyIndex = (b * outHeight + oy) * outWidth * channels;
      for (let ox = 0; ox < outWidth; ox++) {
        const topLeft = ((b * inHeight + 2 * oy) * inWidth + 2 * ox) * channels;
        for (let c = 0; c < channels; c++) {
          const first = topLeft + c;
          const share = 0 + dy[dyIndex++]! / 4;
          dx[first] = share;
          dx[first + channels] = share;
          dx[first + rowStride] = share;
          dx[first + rowStride + channels] = share;
        }
      }
    }
  }
}
