// matMul on the WebAssembly kernels: out[rows] = op(a)[rows] · op(b), blocked over depth, then
// columns of B, then rows of A. B comes into wasm memory one depth block at a time (when it is
// not transposed those rows are contiguous), so the block is still in cache when it is packed.
// Both operands are packed per block, so the micro-kernel reads contiguous panels whatever the
// transposes. (Reading a plain B in place, row stride n, was tried for few-row products like a
// dense layer: it was not faster, and with n = 1024 its 4 KiB stride aliases in L1.)

import type { MatMulGeometry, Range } from '../backend.js';
import { MATMUL_COLS, MATMUL_DEPTH, rowsPerBlock } from './blocking.js';
import type { KernelInstance } from './instance.js';

const PANEL_COLS = 8;

export function matMulWasm(
  { kernels, arena }: KernelInstance,
  a: Float32Array,
  b: Float32Array,
  out: Float32Array,
  g: MatMulGeometry,
  rows: Range,
): void {
  if (rows.end <= rows.start) return;
  const { m, k, n } = g;
  const rowCount = rows.end - rows.start;
  arena.reset();
  // op(a)[rows]: a contiguous slice when a is not transposed; all of a (k × m) when it is.
  const aRegion = arena.allocate(g.transposeA ? k * m : rowCount * k);
  if (g.transposeA) arena.write(aRegion, a.subarray(0, k * m));
  else arena.write(aRegion, a.subarray(rows.start * k, rows.end * k));
  const aFirst = g.transposeA ? aRegion + rows.start * 4 : aRegion;
  const aRowStride = g.transposeA ? 1 : k;
  const aDepthStride = g.transposeA ? m : 1;

  const depthBlock = Math.max(1, Math.min(k, MATMUL_DEPTH));
  const colBlock = Math.min(Math.ceil(n / PANEL_COLS) * PANEL_COLS, MATMUL_COLS);
  const rowBlock = rowsPerBlock(depthBlock, rowCount);
  // A transposed b (n × k) is copied whole; otherwise one depth block of rows at a time.
  const bRegion = arena.allocate(g.transposeB ? k * n : depthBlock * n);
  if (g.transposeB) arena.write(bRegion, b.subarray(0, k * n));
  const bPacked = arena.allocate(depthBlock * colBlock);
  const aPacked = arena.allocate(rowBlock * depthBlock);
  const cRegion = arena.allocate(rowCount * n);
  if (k === 0) arena.read(cRegion, rowCount * n).fill(0);
  for (let step = 0; step < k; step += depthBlock) {
    const depth = Math.min(depthBlock, k - step);
    if (!g.transposeB) arena.write(bRegion, b.subarray(step * n, (step + depth) * n));
    for (let col = 0; col < n; col += colBlock) {
      const cols = Math.min(colBlock, n - col);
      // Element (p, j) of this block of op(b): b[(step + p)·n + col + j], or b[(col + j)·k + step + p].
      const bBlock = g.transposeB ? bRegion + (col * k + step) * 4 : bRegion + col * 4;
      const bDepthStride = g.transposeB ? 1 : n;
      const bColStride = g.transposeB ? k : 1;
      kernels.packB(bBlock, bDepthStride, bColStride, depth, cols, bPacked);
      for (let row = 0; row < rowCount; row += rowBlock) {
        const count = Math.min(rowBlock, rowCount - row);
        const aBlock = aFirst + (row * aRowStride + step * aDepthStride) * 4;
        kernels.packA(aBlock, aRowStride, aDepthStride, count, depth, aPacked);
        kernels.gemmPacked(
          aPacked,
          bPacked,
          count,
          cols,
          depth,
          cRegion + (row * n + col) * 4,
          n,
          step > 0 ? 1 : 0,
        );
      }
    }
  }
  out.set(arena.read(cRegion, rowCount * n), rows.start * n);
}
