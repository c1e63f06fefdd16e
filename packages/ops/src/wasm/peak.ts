// How fast this thread's WebAssembly multiply-add can go here, now: the GEMM micro-kernel on
// packed operands that never leave L1/L2 (a 224-row block of a 288-deep A, 64 columns of B — the
// textbook's conv layer). No copies, no im2col: the ceiling every kernel in this package works
// under. On a shared or throttled machine it moves from minute to minute, so a benchmark measures
// it in the same run as the kernels it reports.

import { supportedWasmVariants } from './backend.js';
import { instantiateKernels } from './instance.js';

const ROWS = 224;
const DEPTH = 288;
const COLS = 64;

/**
 * GFLOP/s of the micro-kernel on this thread, the median of 15 windows after a warm-up that lets
 * V8 optimize the code. Throws where WebAssembly SIMD is missing.
 */
export function measureKernelPeak(durationMs = 300): number {
  const variant = supportedWasmVariants()[0];
  if (variant === undefined) {
    throw new Error('measureKernelPeak: this runtime has no WebAssembly SIMD');
  }
  const { kernels, arena } = instantiateKernels(variant);
  const a = arena.allocate(ROWS * DEPTH);
  const b = arena.allocate(DEPTH * COLS);
  const c = arena.allocate(ROWS * COLS);
  // Small values: no denormals or infinities to slow anything down.
  arena.read(a, ROWS * DEPTH).fill(0.001);
  arena.read(b, DEPTH * COLS).fill(0.002);
  const flopsPerCall = 2 * ROWS * DEPTH * COLS;
  const call = () => kernels.gemmPacked(a, b, ROWS, COLS, DEPTH, c, COLS, 0);
  const warmUpEnd = performance.now() + durationMs;
  while (performance.now() < warmUpEnd) call();
  const windows: number[] = [];
  for (let window = 0; window < 15; window++) {
    const start = performance.now();
    let calls = 0;
    while (performance.now() - start < durationMs / 15) {
      call();
      calls++;
    }
    windows.push((calls * flopsPerCall) / (performance.now() - start) / 1e6);
  }
  windows.sort((x, y) => x - y);
  return windows[7]!;
}
