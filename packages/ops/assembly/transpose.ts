// The 4×4 transpose every packing path needs: four vectors that are rows (four pixels, or four
// matrix rows) become four vectors that are columns (one depth step of a 4-row panel each).

/** Stores the columns of the 4×4 block with rows r0..r3 at out, out + 16, out + 32, out + 48. */
export function storeColumns(r0: v128, r1: v128, r2: v128, r3: v128, out: usize): void {
  const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5);
  const t1 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
  const t2 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
  const t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
  v128.store(out, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
  v128.store(out, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7), 16);
  v128.store(out, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5), 32);
  v128.store(out, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7), 48);
}
