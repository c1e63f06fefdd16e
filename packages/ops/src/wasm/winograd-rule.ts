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
// - Tile size. A call transforms the whole filter once (36 points per input-output channel pair
//   for F(4×4), 16 for F(2×2)), which against one small example is most of the work. At batch 32
//   (a training step, or each data-parallel replica's half of one) F(4×4) leads from 12×12 up:
//   12×12 forward 1.83× against F(2×2)'s 1.56×, 14×14 2.19× / 1.65×, 16×16 3.10× / 1.23×, 28×28
//   2.94× / 1.78×; at one example it loses below 20×20 (12×12 forward 0.78×, 16×16 0.92×) where
//   F(2×2) gains 1.2–1.6×, and one 28×28 example gains ~1.5× with either. At 8×8–10×10 F(2×2)
//   gains at batch 32 (1.7–1.9× forward) and breaks even at one example; below 8×8 one example
//   loses with either (7×7 forward 0.68× and 0.28×). So: F(4×4) from 12×12 outputs, F(2×2) from
//   8×8 — favouring batches, and giving up to ~25% on a single small example.
// The direct kernels keep everything else; asked for explicitly, Winograd takes the tile the
// output's size calls for (F(2×2) below 12×12).

import { type ConvGeometry, winogradApplies } from '../conv2d-algorithm.js';
import type { WindowGeometry } from '../geometry.js';
import type { WinogradTile } from './conv2d-winograd.js';

export type ConvKernelName = 'conv2d' | 'conv2dBackpropInput' | 'conv2dBackpropFilter';

/** Smallest output side (height and width) for F(4×4, 3×3), and for F(2×2, 3×3). */
const F4_FROM = 12;
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
