// The conv2d epilogue in plain loops: bias per output channel, then ReLU, over the output of a
// batch range. The reference backend runs it after its convolution; it is the oracle the fused
// WebAssembly epilogue is tested against.

import type { ConvEpilogue, Range } from '../backend.js';
import type { WindowGeometry } from '../geometry.js';

/** Applies `epilogue` in place to out[batch] (NHWC, g's output shape). */
export function convEpilogueReference(
  out: Float32Array,
  g: WindowGeometry,
  batch: Range,
  epilogue: ConvEpilogue,
): void {
  const channels = g.outChannels;
  const perItem = g.outHeight * g.outWidth * channels;
  const end = batch.end * perItem;
  const { bias, relu } = epilogue;
  for (let base = batch.start * perItem; base < end; base += channels) {
    for (let c = 0; c < channels; c++) {
      // Rounded to float32 on store, exactly as a separate biasAdd would round it.
      const value = bias === undefined ? out[base + c]! : out[base + c]! + bias[c]!;
      out[base + c] = relu ? Math.max(value, 0) : value;
    }
  }
}
