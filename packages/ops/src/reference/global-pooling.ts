// Global average pooling in plain loops: each image's mean per channel, and its gradient spread
// evenly back over the pixels. One pass over memory either way, so these loops are also what the
// WebAssembly backend runs (a SIMD kernel would wait on memory just the same).

import type { GlobalPoolingGeometry, Range } from '../backend.js';

/** out[b, c] = mean of x[b, ·, ·, c], accumulated in float64 in pixel order. */
export function globalAvgPool2dReference(
  x: Float32Array,
  out: Float32Array,
  g: GlobalPoolingGeometry,
  batch: Range,
): void {
  const { pixels, channels } = g;
  const sums = new Float64Array(channels);
  for (let b = batch.start; b < batch.end; b++) {
    sums.fill(0);
    const imageBase = b * pixels * channels;
    for (let p = 0; p < pixels; p++) {
      const pixelBase = imageBase + p * channels;
      for (let c = 0; c < channels; c++) sums[c]! += x[pixelBase + c]!;
    }
    for (let c = 0; c < channels; c++) out[b * channels + c] = sums[c]! / pixels;
  }
}

/** dx[b, ·, ·, c] = dy[b, c] / pixels: every pixel weighs the same in the mean. */
export function globalAvgPool2dBackwardReference(
  dy: Float32Array,
  dx: Float32Array,
  g: GlobalPoolingGeometry,
  batch: Range,
): void {
  const { pixels, channels } = g;
  const shares = new Float32Array(channels);
  for (let b = batch.start; b < batch.end; b++) {
    for (let c = 0; c < channels; c++) shares[c] = dy[b * channels + c]! / pixels;
    const imageBase = b * pixels * channels;
    for (let p = 0; p < pixels; p++) dx.set(shares, imageBase + p * channels);
  }
}
