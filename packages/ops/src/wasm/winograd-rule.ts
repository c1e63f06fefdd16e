// When the WebAssembly backend runs a convolution by Winograd, and with which tile: a function of
// the per-example geometry only (never the batch size or range, the executor or the worker count),
// so every shard and every data-parallel replica computes an example the same way.
//
// Measured one thread, batch 32 of 28×28, Winograd against the direct kernels in the same run
// (test/wasm/measure-winograd.ts; tables in assembly/README.md):
// - F(4×4, 3×3) beat F(2×2, 3×3) on every layer measured (by 1.3–2.5×), so the tile is 4.
// - Winograd's GEMMs are as deep as the forward's input channels (the input gradient's: output
//   channels). One or two channels leave a GEMM with nothing to multiply and the transforms
//   cost more than they save: 1 → 32 forward 0.53×, 2 → 32 0.88×, 4 → 32 1.12×, 32 → 64 2.9×.
// - The input gradient of a 1-channel input is a conv to 1 channel, which the direct kernel does
//   far better (0.40×); the filter gradient of a 1-channel input likewise (0.73×).
// So Winograd for the forward pass from 4 input channels, for the input gradient from 4 output
// channels (and 2 input channels), for the filter gradient from 2 input channels.

import { type ConvGeometry, winogradApplies } from '../conv2d-algorithm.js';
import type { WinogradTile } from './conv2d-winograd.js';

export type ConvKernelName = 'conv2d' | 'conv2dBackpropInput' | 'conv2dBackpropFilter';

/** The Winograd tile for this convolution kernel, or undefined for the direct algorithm. */
export function winogradTile(g: ConvGeometry, kernel: ConvKernelName): WinogradTile | undefined {
  if (g.algorithm === 'direct' || !winogradApplies(g)) return undefined;
  if (g.algorithm === 'winograd' || winogradMeasuresFaster(g, kernel)) return 4;
  return undefined;
}

function winogradMeasuresFaster(g: ConvGeometry, kernel: ConvKernelName): boolean {
  switch (kernel) {
    case 'conv2d':
      return g.inChannels >= 4;
    case 'conv2dBackpropInput':
      return g.outChannels >= 4 && g.inChannels >= 2;
    case 'conv2dBackpropFilter':
      return g.inChannels >= 2;
  }
}
