// The conv2d epilogue on the WebAssembly side: the bias goes into the instance's memory once per
// call, then each block of output is finished (bias, ReLU) right after the kernel wrote it, while
// it is still in cache, before it is copied out.

import type { ConvEpilogue } from '../backend.js';
import type { KernelInstance } from './instance.js';

/** A prepared epilogue: finish(region, rows) applies it to rows × channels floats at region. */
export type FinishOutput = (region: number, rows: number) => void;

/**
 * Writes the bias into `instance`'s arena and returns the function that applies the epilogue, or
 * undefined when there is nothing to apply. Call after the arena's reset for this call.
 */
export function prepareEpilogue(
  { kernels, arena }: KernelInstance,
  epilogue: ConvEpilogue | undefined,
  channels: number,
): FinishOutput | undefined {
  if (!epilogue || (epilogue.bias === undefined && !epilogue.relu)) return undefined;
  const bias = arena.allocate(channels);
  const values = arena.read(bias, channels);
  if (epilogue.bias) values.set(epilogue.bias.subarray(0, channels));
  else values.fill(0);
  const relu = epilogue.relu ? 1 : 0;
  return (region, rows) => kernels.biasActivate(region, rows, channels, bias, relu);
}
