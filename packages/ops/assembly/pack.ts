// Packing of plain matrices into the GEMM's panel layouts. Strides are in elements, so one
// function serves both a matrix and its transpose (swap the strides).

import { storeColumns } from './transpose';

/**
 * Packs rows × depth of a matrix whose element (row, step) is at src + (row·rowStride +
 * step·depthStride)·4 into 4-row panels: panel i holds, for each step, rows 4i..4i+3 side by side.
 * Rows past the end are zero.
 */
export function packA(
  src: usize,
  rowStride: i32,
  depthStride: i32,
  rows: i32,
  depth: i32,
  dst: usize,
): void {
  for (let row = 0; row < rows; row += 4) {
    const valid = min(4, rows - row);
    if (valid === 4 && rowStride === 1) {
      // Transposed source: the 4 rows of a step are contiguous.
      for (let step = 0; step < depth; step++) {
        v128.store(dst, v128.load(src + ((<usize>row + <usize>step * depthStride) << 2)));
        dst += 16;
      }
      continue;
    }
    let step = 0;
    if (valid === 4 && depthStride === 1) {
      // Plain source: each row's steps are contiguous. Load 4 steps of each of the 4 rows and
      // transpose the 4×4 block into 4 steps of the panel.
      const row0 = src + ((<usize>row * rowStride) << 2);
      const rowBytes = (<usize>rowStride) << 2;
      for (; step + 4 <= depth; step += 4) {
        const offset = (<usize>step) << 2;
        const r0 = v128.load(row0 + offset);
        const r1 = v128.load(row0 + rowBytes + offset);
        const r2 = v128.load(row0 + 2 * rowBytes + offset);
        const r3 = v128.load(row0 + 3 * rowBytes + offset);
        storeColumns(r0, r1, r2, r3, dst);
        dst += 64;
      }
    }
    for (; step < depth; step++) {
      for (let r = 0; r < 4; r++) {
        const value =
          r < valid
            ? load<f32>(src + ((<usize>(row + r) * rowStride + <usize>step * depthStride) << 2))
            : 0;
        store<f32>(dst + ((<usize>r) << 2), value);
      }
      dst += 16;
    }
  }
}

/**
 * Packs depth × cols of a matrix whose element (step, col) is at src + (step·depthStride +
 * col·colStride)·4 into 8-column panels: panel j holds, for each step, columns 8j..8j+7 side by
 * side. Columns past the end are zero.
 */
export function packB(
  src: usize,
  depthStride: i32,
  colStride: i32,
  depth: i32,
  cols: i32,
  dst: usize,
): void {
  for (let col = 0; col < cols; col += 8) {
    const valid = min(8, cols - col);
    if (valid === 8 && colStride === 1) {
      for (let step = 0; step < depth; step++) {
        const from = src + ((<usize>step * depthStride + <usize>col) << 2);
        v128.store(dst, v128.load(from));
        v128.store(dst, v128.load(from, 16), 16);
        dst += 32;
      }
      continue;
    }
    let step = 0;
    if (valid === 8 && depthStride === 1) {
      // Transposed source (the B of a·bᵀ, a filter read as Wᵀ): each column's steps are
      // contiguous. Load 4 steps of each of the 8 columns and transpose two 4×4 blocks into 4
      // steps of the panel, instead of 32 scalar loads 4·colStride bytes apart.
      const column0 = src + ((<usize>col * colStride) << 2);
      const columnBytes = (<usize>colStride) << 2;
      for (; step + 4 <= depth; step += 4) {
        const first = column0 + ((<usize>step) << 2);
        transposeInto(dst, first, columnBytes);
        transposeInto(dst + 16, first + 4 * columnBytes, columnBytes);
        dst += 128;
      }
    }
    for (; step < depth; step++) {
      for (let c = 0; c < 8; c++) {
        const value =
          c < valid
            ? load<f32>(src + ((<usize>step * depthStride + <usize>(col + c) * colStride) << 2))
            : 0;
        store<f32>(dst + ((<usize>c) << 2), value);
      }
      dst += 32;
    }
  }
}

/**
 * Reads 4 floats from each of 4 columns (`columnBytes` apart, starting at `src`) and writes them
 * as 4 panel steps of those columns: step s goes to dst + 32·s (the 8-column panel's row).
 */
function transposeInto(dst: usize, src: usize, columnBytes: usize): void {
  const r0 = v128.load(src);
  const r1 = v128.load(src + columnBytes);
  const r2 = v128.load(src + 2 * columnBytes);
  const r3 = v128.load(src + 3 * columnBytes);
  const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5);
  const t1 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
  const t2 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
  const t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
  v128.store(dst, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
  v128.store(dst, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7), 32);
  v128.store(dst, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5), 64);
  v128.store(dst, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7), 96);
}
