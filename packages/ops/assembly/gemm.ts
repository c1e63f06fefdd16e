// The register-blocked f32 GEMM micro-kernel and its block driver: C (+)= A·B for packed
// operands. A is packed in panels of 4 rows (for each depth step, the 4 row values side by side),
// B in panels of 8 columns (for each depth step, 8 column values), both zero-padded at the edges.
// A 4×8 tile keeps 8 accumulators in registers: with two loads of B and four broadcasts of A per
// depth step, V8's 16 xmm registers hold everything without spilling.

import { madd } from './madd';

/** Rows of a packed A panel (the micro-tile height). */
export const PANEL_ROWS: i32 = 4;
/** Columns of a packed B panel (the micro-tile width). */
export const PANEL_COLS: i32 = 8;

// Where an edge tile lands before its valid part is copied into C.
const edgeTile = memory.data(4 * 8 * 4, 16);

function storeRow(dst: usize, left: v128, right: v128, accumulate: bool): void {
  if (accumulate) {
    left = f32x4.add(left, v128.load(dst));
    right = f32x4.add(right, v128.load(dst, 16));
  }
  v128.store(dst, left);
  v128.store(dst, right, 16);
}

function tile(
  a: usize,
  b: usize,
  depth: i32,
  c: usize,
  rowStrideBytes: usize,
  rows: i32,
  cols: i32,
  accumulate: bool,
): void {
  let c00 = f32x4.splat(0);
  let c01 = c00;
  let c10 = c00;
  let c11 = c00;
  let c20 = c00;
  let c21 = c00;
  let c30 = c00;
  let c31 = c00;
  for (let step = 0; step < depth; step++) {
    const b0 = v128.load(b);
    const b1 = v128.load(b, 16);
    let broadcast = v128.load32_splat(a);
    c00 = madd(broadcast, b0, c00);
    c01 = madd(broadcast, b1, c01);
    broadcast = v128.load32_splat(a, 4);
    c10 = madd(broadcast, b0, c10);
    c11 = madd(broadcast, b1, c11);
    broadcast = v128.load32_splat(a, 8);
    c20 = madd(broadcast, b0, c20);
    c21 = madd(broadcast, b1, c21);
    broadcast = v128.load32_splat(a, 12);
    c30 = madd(broadcast, b0, c30);
    c31 = madd(broadcast, b1, c31);
    a += 16;
    b += 32;
  }
  if (rows === 4 && cols === 8) {
    storeRow(c, c00, c01, accumulate);
    storeRow(c + rowStrideBytes, c10, c11, accumulate);
    storeRow(c + 2 * rowStrideBytes, c20, c21, accumulate);
    storeRow(c + 3 * rowStrideBytes, c30, c31, accumulate);
    return;
  }
  storeRow(edgeTile, c00, c01, false);
  storeRow(edgeTile + 32, c10, c11, false);
  storeRow(edgeTile + 64, c20, c21, false);
  storeRow(edgeTile + 96, c30, c31, false);
  for (let row = 0; row < rows; row++) {
    const dst = c + <usize>row * rowStrideBytes;
    const src = edgeTile + <usize>(row << 5);
    for (let col = 0; col < cols; col++) {
      const offset = <usize>(col << 2);
      const value = load<f32>(src + offset);
      store<f32>(dst + offset, accumulate ? load<f32>(dst + offset) + value : value);
    }
  }
}

/**
 * C[rows × cols] (+)= A·B over `depth`, for A packed by packA/im2col (4-row panels) and B packed
 * by packB (8-column panels). C is row-major with `ldc` elements per row. Loops over B panels
 * outside and A panels inside, so one B panel (depth × 8) stays in L1 while the A block streams
 * from L2.
 */
export function gemmPacked(
  aPacked: usize,
  bPacked: usize,
  rows: i32,
  cols: i32,
  depth: i32,
  c: usize,
  ldc: i32,
  accumulate: bool,
): void {
  const aPanelBytes = (<usize>depth) << 4;
  const bPanelBytes = (<usize>depth) << 5;
  const rowStrideBytes = (<usize>ldc) << 2;
  for (let col = 0; col < cols; col += PANEL_COLS) {
    const bPanel = bPacked + <usize>(col >> 3) * bPanelBytes;
    const tileCols = min(PANEL_COLS, cols - col);
    for (let row = 0; row < rows; row += PANEL_ROWS) {
      tile(
        aPacked + <usize>(row >> 2) * aPanelBytes,
        bPanel,
        depth,
        c + <usize>row * rowStrideBytes + ((<usize>col) << 2),
        rowStrideBytes,
        min(PANEL_ROWS, rows - row),
        tileCols,
        accumulate,
      );
    }
  }
}
