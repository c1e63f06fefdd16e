// The plain-loop backward of relu(x + bias) over a range of rows: the oracle of the WebAssembly
// kernel. The bias gradient is summed in float64 in row order, as biasAddBackward sums it, so the
// fused op's dBias, rounded from these sums, equals the unfused ops' exactly.

import type { ChannelGeometry, Range } from '../backend.js';

export function biasAddReluBackwardReference(
  dy: Float32Array,
  y: Float32Array,
  dx: Float32Array,
  sums: Float64Array,
  g: ChannelGeometry,
  rows: Range,
): void {
  const { channels } = g;
  sums.fill(0, 0, channels);
  const end = rows.end * channels;
  for (let base = rows.start * channels; base < end; base += channels) {
    for (let c = 0; c < channels; c++) {
      const gradient = y[base + c]! > 0 ? dy[base + c]! : 0;
      dx[base + c] = gradient;
      sums[c]! += gradient;
    }
  }
}
