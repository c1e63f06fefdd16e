// What every convolution kernel on the WebAssembly side does first: free the arena for this call,
// hand the window geometry to the module (assembly/window.ts) and size the per-item regions.

import type { WindowGeometry } from '../geometry.js';
import type { KernelInstance } from './instance.js';

const PANEL_COLS = 8;

export interface ConvSizes {
  /** taps · inChannels: the im2col depth. */
  depth: number;
  /** Floats of one batch item of input and of output. */
  inItem: number;
  outItem: number;
  pixelsPerItem: number;
}

/** Resets the arena, sets the module's geometry, and returns the sizes of one item. */
export function prepare({ kernels, arena }: KernelInstance, g: WindowGeometry): ConvSizes {
  arena.reset();
  kernels.setGeometry(
    g.inHeight,
    g.inWidth,
    g.inChannels,
    g.outHeight,
    g.outWidth,
    g.filterHeight,
    g.filterWidth,
    g.strideHeight,
    g.strideWidth,
    g.dilationHeight,
    g.dilationWidth,
    g.padTop,
    g.padLeft,
  );
  const pixelsPerItem = g.outHeight * g.outWidth;
  return {
    depth: g.filterHeight * g.filterWidth * g.inChannels,
    inItem: g.inHeight * g.inWidth * g.inChannels,
    outItem: pixelsPerItem * g.outChannels,
    pixelsPerItem,
  };
}

/** cols rounded up to whole 8-column GEMM panels. */
export function paddedCols(cols: number): number {
  return Math.ceil(cols / PANEL_COLS) * PANEL_COLS;
}
