// The gradient prologue on the WebAssembly side: a convolution gradient copies dy into the
// instance's memory a group at a time anyway, so the ReLU's backward runs on each group right
// there, in place (assembly/bias-relu.ts: dy where y > 0, else 0, with the per-channel float64
// sums), instead of in a pass of its own over the whole tensor. The sums stay in wasm memory
// across the groups, in row order, so they are the bits biasAddReluBackward would give.

import type { GradientPrologue } from '../backend.js';
import type { KernelInstance } from './instance.js';

/** Copies dy[start, end) into memory at `region`, as the kernel should read it. */
export type StageGradient = (region: number, dy: Float32Array, start: number, end: number) => void;

export interface PreparedPrologue {
  stage: StageGradient;
  /** Adds the sums of every staged group to the prologue's biasSums (call once, at the end). */
  finish(): void;
}

/**
 * Reserves the prologue's memory (y for up to `capacity` floats at a time, the sums) in
 * `instance`'s arena and returns how to stage dy through it; a plain copy without a prologue.
 * Call after the arena's reset for this call.
 */
export function preparePrologue(
  { kernels, arena }: KernelInstance,
  prologue: GradientPrologue | undefined,
  channels: number,
  capacity: number,
): PreparedPrologue {
  if (!prologue) {
    return {
      stage: (region, dy, start, end) => arena.write(region, dy.subarray(start, end)),
      finish() {},
    };
  }
  const sums = arena.allocate(2 * channels);
  arena.zero(sums, 2 * channels);
  const yRegion = arena.allocate(capacity);
  const { y, biasSums } = prologue;
  // Without a ReLU only the sums are wanted: a y of ones lets every value through.
  if (y === undefined) arena.read(yRegion, capacity).fill(1);
  return {
    stage(region, dy, start, end) {
      arena.write(region, dy.subarray(start, end));
      if (y !== undefined) arena.write(yRegion, y.subarray(start, end));
      const rows = (end - start) / channels;
      kernels.biasReluBackward(region, yRegion, region, sums, rows, channels);
    },
    finish() {
      if (!biasSums) return;
      const staged = arena.readDoubles(sums, channels);
      for (let c = 0; c < channels; c++) biasSums[c]! += staged[c]!;
    },
  };
}
