// matMul on the WebAssembly kernels: out[rows] = op(a)[rows] · op(b), blocked over depth, then
// columns of B, then rows of A. B comes into wasm memory one depth block at a time (when it is
// not transposed those rows are contiguous), so the block is still in cache when it is packed.
// Both operands are packed per block, so the micro-kernel reads contiguous panels whatever the
// transposes. (Reading a plain B in place, row stride n, was tried for few-row products like a
// dense layer: it was not faster, and with n = 1024 its 4 KiB stride aliases in L1.)
// A shard may also own a range of columns (g.columns) or of the shared dimension (g.depth): only
// the part of each operand it reads is copied in — contiguous rows of a transposed B for a column
// range, of a plain B (and of a transposed A) for a depth range.

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
  const { m, k, n } = g;
  const columns = g.columns ?? { start: 0, end: n };
  const slice = g.depth ?? { start: 0, end: k };
  const rowCount = rows.end - rows.start;
  const colCount = columns.end - columns.start;
  const depthCount = Math.max(0, slice.end - slice.start);
  if (rowCount <= 0 || colCount <= 0) return;
  arena.reset();
  // op(a)[rows, slice]: the rows of a (all of k) when a is plain; the slice's rows of the stored
  // [k, m] (all of m) when it is transposed.
  const aRegion = arena.allocate(g.transposeA ? depthCount * m : rowCount * k);
  if (g.transposeA) arena.write(aRegion, a.subarray(slice.start * m, slice.end * m));
  else arena.write(aRegion, a.subarray(rows.start * k, rows.end * k));
  // Element (i, p) of the A block, i and p counted from the shard's first row and depth.
  const aFirst = g.transposeA ? aRegion + rows.start * 4 : aRegion + slice.start * 4;
  const aRowStride = g.transposeA ? 1 : k;
  const aDepthStride = g.transposeA ? m : 1;

  const depthBlock = Math.max(1, Math.min(depthCount, MATMUL_DEPTH));
  const colBlock = Math.min(Math.ceil(colCount / PANEL_COLS) * PANEL_COLS, MATMUL_COLS);
  const rowBlock = rowsPerBlock(depthBlock, rowCount);
  // A transposed b ([n, k]) is copied once, the shard's columns only; a plain b one depth block
  // of rows at a time.
  const bRegion = arena.allocate(g.transposeB ? colCount * k : depthBlock * n);
  if (g.transposeB) arena.write(bRegion, b.subarray(columns.start * k, columns.end * k));
  const bPacked = arena.allocate(depthBlock * colBlock);
  const aPacked = arena.allocate(rowBlock * depthBlock);
  const cRegion = arena.allocate(rowCount * colCount);
  if (depthCount === 0) arena.read(cRegion, rowCount * colCount).fill(0);
  for (let step = 0; step < depthCount; step += depthBlock) {
    const depth = Math.min(depthBlock, depthCount - step);
    const p = slice.start + step;
    if (!g.transposeB) arena.write(bRegion, b.subarray(p * n, (p + depth) * n));
    for (let col = 0; col < colCount; col += colBlock) {
      const cols = Math.min(colBlock, colCount - col);
      // Element (q, j) of this block of op(b): b[(p + q)·n + columns.start + col + j] in the
      // copied rows, or b[(columns.start + col + j)·k + p + q] in the copied columns.
      const bBlock = g.transposeB
        ? bRegion + (col * k + p) * 4
        : bRegion + (columns.start + col) * 4;
      const bDepthStride = g.transposeB ? 1 : n;
      const bColStride = g.transposeB ? k : 1;
      kernels.packB(bBlock, bDepthStride, bColStride, depth, cols, bPacked);
      for (let row = 0; row < rowCount; row += rowBlock) {
        const count = Math.min(rowBlock, rowCount - row);
        const aBlock = aFirst + (row * aRowStride + step * aDepthStride) * 4;
        kernels.packA(aBlock, aRowStride, aDepthStride, count, depth, aPacked);
        const cBlock = cRegion + (row * colCount + col) * 4;
        kernels.gemmPacked(
          aPacked,
          bPacked,
          count,
          cols,
          depth,
          cBlock,
          colCount,
          step > 0 ? 1 : 0,
        );
      }
    }
  }
  if (colCount === n) {
    out.set(arena.read(cRegion, rowCount * n), rows.start * n);
    return;
  }
  for (let row = 0; row < rowCount; row++) {
    const source = arena.read(cRegion + row * colCount * 4, colCount);
    out.set(source, (rows.start + row) * n + columns.start);
  }
}
