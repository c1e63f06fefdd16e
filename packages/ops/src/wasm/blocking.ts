// Block sizes for the WebAssembly kernels, sized to this kind of core (32 KiB L1d, 512 KiB–1 MiB
// L2): a GEMM's A block (rows × depth of the packed left operand) should sit in L2 while one B
// panel (depth × 8) sits in L1, and a group of whole batch items (input + output) is copied into
// wasm memory at a time so the copy stays in cache for the kernels that read it.

/** Floats of packed A the GEMM streams per B panel: 256 KiB. */
export const A_BLOCK_FLOATS = 64 * 1024;
/** Floats of input + output copied in per group of batch items: 2 MiB. */
export const GROUP_FLOATS = 512 * 1024;
/** Depth block of a plain matMul (its B panel is MATMUL_DEPTH × 8 floats = 8 KiB). */
export const MATMUL_DEPTH = 256;
/** Column block of a plain matMul: MATMUL_DEPTH × MATMUL_COLS floats = 512 KiB of packed B. */
export const MATMUL_COLS = 512;

/** Rows (a multiple of 4, at least 16) whose depth-long packed rows fit in the A block. */
export function rowsPerBlock(depth: number, limit: number): number {
  const rows = Math.max(16, Math.floor(A_BLOCK_FLOATS / depth / 4) * 4);
  return Math.min(rows, Math.ceil(limit / 4) * 4);
}

/** Batch items per copied group: at least one. */
export function itemsPerGroup(floatsPerItem: number, items: number): number {
  return Math.max(1, Math.min(items, Math.floor(GROUP_FLOATS / floatsPerItem)));
}
