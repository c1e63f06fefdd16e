// The plain-loop gradient prologue: dy of a batch range as a convolution gradient should read it —
// through the ReLU (y > 0 ? dy : 0) when there is one — with the bias sums added in float64 in row
// order, exactly as biasAddReluBackward's reference computes both.

import type { GradientPrologue, Range } from '../backend.js';

/**
 * dy itself without a prologue; otherwise a copy of dy whose batch range holds the gradient the
 * kernel should read (elements outside the range are not read and left as zeros).
 */
export function gradientThroughPrologue(
  dy: Float32Array,
  prologue: GradientPrologue | undefined,
  channels: number,
  itemSize: number,
  batch: Range,
): Float32Array {
  if (!prologue) return dy;
  const { y, biasSums } = prologue;
  const gradient = new Float32Array(dy.length);
  const end = batch.end * itemSize;
  for (let base = batch.start * itemSize; base < end; base += channels) {
    for (let c = 0; c < channels; c++) {
      const value = y === undefined || y[base + c]! > 0 ? dy[base + c]! : 0;
      gradient[base + c] = value;
      if (biasSums) biasSums[c]! += value;
    }
  }
  return gradient;
}
