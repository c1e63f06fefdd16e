// Convolution and both its gradients computed in float64 from float32 inputs, with each output's
// magnitude Σ|term| (the sum of the absolute values of the products that make it). The exact
// answer a float32 kernel is judged against: |kernel − exact| / magnitude is its error relative to
// the size of what it summed, a measure that stays meaningful where the sum itself cancels to
// nearly zero. Plain loops over NHWC/HWIO; stride 1, dilation 1 (the Winograd case).

import type { WindowGeometry } from '../../src/geometry.js';

export interface Float64Result {
  values: Float64Array;
  magnitudes: Float64Array;
}

/** y[b, oh, ow, k] = Σ x[b, oh + i − padTop, ow + j − padLeft, c] · w[i, j, c, k]. */
export function conv2dFloat64(x: Float32Array, w: Float32Array, g: WindowGeometry): Float64Result {
  const { batch, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = g;
  const size = batch * outHeight * outWidth * outChannels;
  const values = new Float64Array(size);
  const magnitudes = new Float64Array(size);
  for (let b = 0; b < batch; b++) {
    for (let oh = 0; oh < outHeight; oh++) {
      for (let ow = 0; ow < outWidth; ow++) {
        const at = ((b * outHeight + oh) * outWidth + ow) * outChannels;
        for (let i = 0; i < g.filterHeight; i++) {
          const row = oh + i - g.padTop;
          if (row < 0 || row >= inHeight) continue;
          for (let j = 0; j < g.filterWidth; j++) {
            const col = ow + j - g.padLeft;
            if (col < 0 || col >= inWidth) continue;
            const pixel = ((b * inHeight + row) * inWidth + col) * inChannels;
            const tap = (i * g.filterWidth + j) * inChannels * outChannels;
            for (let c = 0; c < inChannels; c++) {
              const value = x[pixel + c]!;
              for (let k = 0; k < outChannels; k++) {
                const term = value * w[tap + c * outChannels + k]!;
                values[at + k]! += term;
                magnitudes[at + k]! += Math.abs(term);
              }
            }
          }
        }
      }
    }
  }
  return { values, magnitudes };
}

/** dx[b, h, w, c] = Σ dy[b, h − i + padTop, w − j + padLeft, k] · w[i, j, c, k]. */
export function conv2dBackpropInputFloat64(
  dy: Float32Array,
  w: Float32Array,
  g: WindowGeometry,
): Float64Result {
  const { batch, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = g;
  const size = batch * inHeight * inWidth * inChannels;
  const values = new Float64Array(size);
  const magnitudes = new Float64Array(size);
  for (let b = 0; b < batch; b++) {
    for (let oh = 0; oh < outHeight; oh++) {
      for (let ow = 0; ow < outWidth; ow++) {
        const from = ((b * outHeight + oh) * outWidth + ow) * outChannels;
        for (let i = 0; i < g.filterHeight; i++) {
          const row = oh + i - g.padTop;
          if (row < 0 || row >= inHeight) continue;
          for (let j = 0; j < g.filterWidth; j++) {
            const col = ow + j - g.padLeft;
            if (col < 0 || col >= inWidth) continue;
            const pixel = ((b * inHeight + row) * inWidth + col) * inChannels;
            const tap = (i * g.filterWidth + j) * inChannels * outChannels;
            for (let c = 0; c < inChannels; c++) {
              for (let k = 0; k < outChannels; k++) {
                const term = dy[from + k]! * w[tap + c * outChannels + k]!;
                values[pixel + c]! += term;
                magnitudes[pixel + c]! += Math.abs(term);
              }
            }
          }
        }
      }
    }
  }
  return { values, magnitudes };
}

/** dw[i, j, c, k] = Σ over the batch and output pixels of x[b, oh + i − padTop, …, c] · dy[b, oh, ow, k]. */
export function conv2dBackpropFilterFloat64(
  x: Float32Array,
  dy: Float32Array,
  g: WindowGeometry,
): Float64Result {
  const { batch, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = g;
  const size = g.filterHeight * g.filterWidth * inChannels * outChannels;
  const values = new Float64Array(size);
  const magnitudes = new Float64Array(size);
  for (let b = 0; b < batch; b++) {
    for (let oh = 0; oh < outHeight; oh++) {
      for (let ow = 0; ow < outWidth; ow++) {
        const from = ((b * outHeight + oh) * outWidth + ow) * outChannels;
        for (let i = 0; i < g.filterHeight; i++) {
          const row = oh + i - g.padTop;
          if (row < 0 || row >= inHeight) continue;
          for (let j = 0; j < g.filterWidth; j++) {
            const col = ow + j - g.padLeft;
            if (col < 0 || col >= inWidth) continue;
            const pixel = ((b * inHeight + row) * inWidth + col) * inChannels;
            const tap = (i * g.filterWidth + j) * inChannels * outChannels;
            for (let c = 0; c < inChannels; c++) {
              const value = x[pixel + c]!;
              for (let k = 0; k < outChannels; k++) {
                const term = value * dy[from + k]!;
                values[tap + c * outChannels + k]! += term;
                magnitudes[tap + c * outChannels + k]! += Math.abs(term);
              }
            }
          }
        }
      }
    }
  }
  return { values, magnitudes };
}

export interface ErrorSummary {
  /** max over outputs of |actual − exact| / magnitude. */
  worstOfMagnitude: number;
  /** The same ratio at the 50th and 99.9th percentile of outputs. */
  medianOfMagnitude: number;
  p999OfMagnitude: number;
  /** max |actual − exact| / max |exact|: the error against the tensor's scale. */
  worstOfScale: number;
}

/** How far a float32 result is from the exact one. */
export function errorSummary(actual: Float32Array, exact: Float64Result): ErrorSummary {
  const ratios = new Float64Array(actual.length);
  let scale = 0;
  let worst = 0;
  for (let i = 0; i < actual.length; i++) {
    const error = Math.abs(actual[i]! - exact.values[i]!);
    ratios[i] = exact.magnitudes[i]! > 0 ? error / exact.magnitudes[i]! : error > 0 ? Infinity : 0;
    scale = Math.max(scale, Math.abs(exact.values[i]!));
    worst = Math.max(worst, error);
  }
  ratios.sort();
  return {
    worstOfMagnitude: ratios[ratios.length - 1]!,
    medianOfMagnitude: ratios[ratios.length >> 1]!,
    p999OfMagnitude: ratios[Math.floor((ratios.length - 1) * 0.999)]!,
    worstOfScale: scale > 0 ? worst / scale : worst,
  };
}
