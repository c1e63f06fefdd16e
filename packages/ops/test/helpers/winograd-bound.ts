// The accuracy the convolution kernels are held to, per output, against the exact (float64) result:
// |result − exact| ≤ bound · Σ|term|, where Σ|term| is the sum of the absolute values of the
// products the output adds up (for the forward pass, (|x| ⋆ |w|) at that output). Measured by
// test/wasm/measure-accuracy.ts on the textbook's layers, batch 32, both builds, worst output:
//   direct:        2.8e-7
//   F(2×2, 3×3):   8.3e-7
//   F(4×4, 3×3):   3.3e-6 forward, 2.9e-6 input gradient (1.1e-5 with 'valid' padding), 1.7e-7
//                  filter gradient on model 1's second layer (the one 'auto' sends to Winograd);
//                  3.3e-5 forced onto a 1-channel first layer (9 terms per output: little sum to
//                  average the transforms' rounding over)
// and on the tests' odd shapes (winograd.test.ts) F(2×2) reached 2.4e-6 on a 1×1 output's filter
// gradient (one product per tap). The bounds below leave a factor of 3 over the worst seen.
//
// That is per output on layers where every output sums something ('same' or 'valid' padding).
// Winograd computes an m×m tile of outputs together, so an output's rounding error comes from the
// whole tile: with explicit padding wider than the window an output can sum nothing (exact 0)
// and still get the tile's rounding. In general the bound is relative to the largest Σ|term| in
// the output's tile (tileMagnitudes), and for the filter gradient to the largest of its 3×3 taps
// (tapMagnitudes).

/** Winograd's bounds (the direct kernels' tests keep their 1e-5 relative). */
export const ERROR_BOUND = {
  winograd2: 5e-6,
  winograd4: 1e-4,
} as const;

/** Σ|term| of an output, or of the best float32 stand-in for it. */
export type Magnitudes = ArrayLike<number>;

/**
 * For an NHWC result computed in m×m tiles (aligned at the top-left of each item), each output's
 * magnitude replaced by the largest in its tile, channel by channel.
 */
export function tileMagnitudes(
  magnitudes: Magnitudes,
  shape: readonly number[],
  tile = 4,
): Float64Array {
  const [batch, height, width, channels] = shape as [number, number, number, number];
  const result = new Float64Array(magnitudes.length);
  for (let b = 0; b < batch; b++) {
    for (let top = 0; top < height; top += tile) {
      for (let left = 0; left < width; left += tile) {
        for (let c = 0; c < channels; c++) {
          const at = (row: number, col: number) =>
            ((b * height + row) * width + col) * channels + c;
          let largest = 0;
          for (let row = top; row < Math.min(top + tile, height); row++) {
            for (let col = left; col < Math.min(left + tile, width); col++) {
              largest = Math.max(largest, magnitudes[at(row, col)]!);
            }
          }
          for (let row = top; row < Math.min(top + tile, height); row++) {
            for (let col = left; col < Math.min(left + tile, width); col++) {
              result[at(row, col)] = largest;
            }
          }
        }
      }
    }
  }
  return result;
}

/** For a 3×3 HWIO filter gradient, each element's magnitude replaced by the largest of its taps. */
export function tapMagnitudes(magnitudes: Magnitudes, shape: readonly number[]): Float64Array {
  const [height, width, inChannels, outChannels] = shape as [number, number, number, number];
  const perTap = inChannels * outChannels;
  const result = new Float64Array(magnitudes.length);
  for (let i = 0; i < perTap; i++) {
    let largest = 0;
    for (let tap = 0; tap < height * width; tap++) {
      largest = Math.max(largest, magnitudes[tap * perTap + i]!);
    }
    for (let tap = 0; tap < height * width; tap++) result[tap * perTap + i] = largest;
  }
  return result;
}

/** The worst output of [start, end): its index and |actual − exact| / magnitude (NaN: Infinity). */
export function worstOfBound(
  actual: ArrayLike<number>,
  exact: ArrayLike<number>,
  magnitudes: Magnitudes,
  start = 0,
  end = actual.length,
): { index: number; ratio: number } {
  let index = -1;
  let ratio = 0;
  for (let i = start; i < end; i++) {
    // 1e-30: an output that sums nothing must be exactly 0.
    const r = Math.abs(actual[i]! - exact[i]!) / (magnitudes[i]! + 1e-30);
    const safe = Number.isNaN(r) ? Number.POSITIVE_INFINITY : r;
    if (index === -1 || safe > ratio) {
      index = i;
      ratio = safe;
    }
  }
  return { index, ratio };
}
