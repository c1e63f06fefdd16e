// When the WebAssembly backend runs a convolution by Winograd, and with which tile: a function of
// the per-example geometry only (never the batch size or range, the executor or the worker count),
// so every shard and every data-parallel replica computes an example the same way.
//
// Measured one thread, Winograd against the direct kernels in the same run
// (test/wasm/measure-winograd.ts; tables in assembly/README.md):
// - Channels. Winograd's GEMMs are as deep as the forward's input channels (the input
//   gradient's: output channels). With one or two there is nothing for the GEMM to do and the
//   transforms cost more than they save (28×28, batch 32: 1 → 32 forward 0.53×, 2 → 32 0.88×,
//   4 → 32 1.12×, 32 → 64 2.9×). The input gradient of a 1-channel input is a convolution to 1
//   channel, which the direct kernel does far better (0.40×), and so is its filter gradient (0.73×).
// - Tile size. A call transforms the whole filter once (36 or 16 points per tap triple): against
//   one small example that is most of the work, and F(2×2)'s is less than half of F(4×4)'s. At
//   one example of 28×28 both tiles gain ~1.5× forward (the filter gradient 2.3× and 3.4×), at
//   16×16 F(4×4) loses (0.9×) where F(2×2) gains 1.3×, and F(2×2) still breaks even at 8×8; at
//   batch 32, F(4×4) leads from 14×14 up and below that the two are within the noise. Below 8×8
//   neither is reliably ahead. So: F(4×4) for outputs of at least 20×20, F(2×2) from 8×8.
// The direct kernels keep everything else; asked for explicitly, Winograd takes the tile the
// output's size calls for (F(2×2) below 20×20).

import { type ConvGeometry, winogradApplies } from '../conv2d-algorithm.js';
import type { WindowGeometry } from '../geometry.js';
import type { WinogradTile } from './conv2d-winograd.js';

export type ConvKernelName = 'conv2d' | 'conv2dBackpropInput' | 'conv2dBackpropFilter';

/** Smallest output side (height and width) for F(4×4, 3×3), and for F(2×2, 3×3). */
const F4_FROM = 20;
const F2_FROM = 8;

/** The Winograd tile for this convolution kernel, or undefined for the direct algorithm. */
export function winogradTile(g: ConvGeometry, kernel: ConvKernelName): WinogradTile | undefined {
  if (g.algorithm === 'direct' || !winogradApplies(g)) return undefined;
  // The grid Winograd tiles: the input gradient's is x's (its transposed convolution's output).
  const [height, width] =
    kernel === 'conv2dBackpropInput' ? [g.inHeight, g.inWidth] : [g.outHeight, g.outWidth];
  const side = Math.min(height, width);
  const tile = side >= F4_FROM ? 4 : 2;
  if (g.algorithm === 'winograd') return tile;
  return side >= F2_FROM && enoughChannels(g, kernel) ? tile : undefined;
}

function enoughChannels(g: WindowGeometry, kernel: ConvKernelName): boolean {
  switch (kernel) {
    case 'conv2d':
      return g.inChannels >= 4;
    case 'conv2dBackpropInput':
      return g.outChannels >= 4 && g.inChannels >= 2;
    case 'conv2dBackpropFilter':
      return g.inChannels >= 2;
  }
}
