// Adam's update on the WebAssembly kernels, in chunks: each chunk of the four arrays is copied
// into the instance's memory, updated, and the three it changed copied back. 64K weights a chunk
// keep all four (1 MiB) in L2, so the copies cost little next to the square roots and divisions.

import type { AdamCoefficients } from '../adam-coefficients.js';
import type { Range } from '../backend.js';
import type { KernelInstance } from './instance.js';

const CHUNK = 64 * 1024;

export function adamUpdateWasm(
  { kernels, arena }: KernelInstance,
  param: Float32Array,
  grad: Float32Array,
  m: Float32Array,
  v: Float32Array,
  { stepSize, beta1, beta2, epsilon }: AdamCoefficients,
  range: Range,
): void {
  arena.reset();
  const chunk = Math.max(0, Math.min(CHUNK, range.end - range.start));
  const regions = [param, grad, m, v].map(() => arena.allocate(chunk));
  const [paramAt, gradAt, mAt, vAt] = regions as [number, number, number, number];
  for (let start = range.start; start < range.end; start += chunk) {
    const end = Math.min(start + chunk, range.end);
    arena.write(paramAt, param.subarray(start, end));
    arena.write(gradAt, grad.subarray(start, end));
    arena.write(mAt, m.subarray(start, end));
    arena.write(vAt, v.subarray(start, end));
    kernels.adamUpdate(paramAt, gradAt, mAt, vAt, end - start, stepSize, beta1, beta2, epsilon);
    param.set(arena.read(paramAt, end - start), start);
    m.set(arena.read(mAt, end - start), start);
    v.set(arena.read(vAt, end - start), start);
  }
}
