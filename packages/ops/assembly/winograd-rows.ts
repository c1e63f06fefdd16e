// The one-dimensional transforms of Winograd's minimal filtering F(m, 3) (Lavin & Gray, "Fast
// Algorithms for Convolutional Neural Networks", 2016), for output tiles of m = 2 and m = 4 and
// input tiles of α = m + 2. A 2-D transform applies one along columns, then along rows
// (winograd-tiles.ts). Each vector holds 4 channels, so every lane is an independent transform.
//
//   F(2, 3):  Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 1 0 −1]        G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1]
//             Aᵀ = [1 1 1 0; 0 1 −1 −1]
//   F(4, 3):  Bᵀ = [4 0 −5 0 1 0; 0 −4 −4 1 1 0; 0 4 −4 −1 1 0; 0 −2 −1 2 1 0; 0 2 −1 −2 1 0;
//                   0 4 0 −5 0 1]
//             G  = [¼ 0 0; −⅙ −⅙ −⅙; −⅙ ⅙ −⅙; 1⁄24 1⁄12 ⅙; 1⁄24 −1⁄12 ⅙; 0 0 1]
//             Aᵀ = [1 1 1 1 1 0; 0 1 −1 2 −2 0; 0 1 1 4 4 0; 0 1 −1 8 −8 1]
//
// forward:          y  = Aᵀ [(G g) ⊙ (Bᵀ d)]                  (input d: α, filter g: 3, output: m)
// filter gradient:  dg = Gᵀ [(A dy) ⊙ (Bᵀ d)]   (dy: m; the adjoint of the forward in g)
// so five transforms: Bᵀ (input), G (filter), Aᵀ (output), A (output gradient), Gᵀ (back to taps).
// Each reads its inputs `srcStride` bytes apart and writes its outputs `dstStride` bytes apart.
// Plain mul and add only (no fused multiply-add), so both builds transform identically.

// The tile size is a type parameter, so that each size compiles to code of its own with every
// `m === 2` decided at compile time, and a 2-D transform makes two calls (one pass down the
// columns, one along the rows), each looping over a row function that Binaryen inlines into it
// (its only caller). Together measured ~10% faster than a transform calling a row function per
// line with m at run time. (AssemblyScript's @inline would do the same, but the repository's
// formatter cannot parse a decorator on a function.) The type's size in bytes is the tile's side.
/** F(2×2, 3×3). */
export type F2 = u16;
/** F(4×4, 3×3). */
export type F4 = u32;

/** m, the output tile's side, of a tile type. */
export function tileSide<T>(): i32 {
  return <i32>sizeof<T>();
}

function splat(value: f32): v128 {
  return f32x4.splat(value);
}

/** α values of an input column or row through Bᵀ. */
function inputRow<T>(src: usize, srcStride: usize, dst: usize, dstStride: usize): void {
  const m = tileSide<T>();
  if (m === 2) {
    const d0 = v128.load(src);
    const d1 = v128.load(src + srcStride);
    const d2 = v128.load(src + 2 * srcStride);
    const d3 = v128.load(src + 3 * srcStride);
    v128.store(dst, f32x4.sub(d0, d2));
    v128.store(dst + dstStride, f32x4.add(d1, d2));
    v128.store(dst + 2 * dstStride, f32x4.sub(d2, d1));
    v128.store(dst + 3 * dstStride, f32x4.sub(d1, d3));
    return;
  }
  const d0 = v128.load(src);
  const d1 = v128.load(src + srcStride);
  const d2 = v128.load(src + 2 * srcStride);
  const d3 = v128.load(src + 3 * srcStride);
  const d4 = v128.load(src + 4 * srcStride);
  const d5 = v128.load(src + 5 * srcStride);
  const four = splat(4);
  const five = splat(5);
  const two = splat(2);
  // r0 = 4d0 − 5d2 + d4, r5 = 4d1 − 5d3 + d5
  v128.store(dst, f32x4.add(f32x4.sub(f32x4.mul(four, d0), f32x4.mul(five, d2)), d4));
  // r1, r2 = (d4 − 4d2) ± (d3 − 4d1)
  const a = f32x4.sub(d4, f32x4.mul(four, d2));
  const b = f32x4.sub(d3, f32x4.mul(four, d1));
  v128.store(dst + dstStride, f32x4.add(a, b));
  v128.store(dst + 2 * dstStride, f32x4.sub(a, b));
  // r3, r4 = (d4 − d2) ± 2(d3 − d1)
  const c = f32x4.sub(d4, d2);
  const e = f32x4.mul(two, f32x4.sub(d3, d1));
  v128.store(dst + 3 * dstStride, f32x4.add(c, e));
  v128.store(dst + 4 * dstStride, f32x4.sub(c, e));
  v128.store(
    dst + 5 * dstStride,
    f32x4.add(f32x4.sub(f32x4.mul(four, d1), f32x4.mul(five, d3)), d5),
  );
}

/** 3 filter taps through G: α values. */
function filterRow<T>(src: usize, srcStride: usize, dst: usize, dstStride: usize): void {
  const m = tileSide<T>();
  const g0 = v128.load(src);
  const g1 = v128.load(src + srcStride);
  const g2 = v128.load(src + 2 * srcStride);
  const half = splat(0.5);
  if (m === 2) {
    const sum = f32x4.mul(half, f32x4.add(g0, g2));
    const middle = f32x4.mul(half, g1);
    v128.store(dst, g0);
    v128.store(dst + dstStride, f32x4.add(sum, middle));
    v128.store(dst + 2 * dstStride, f32x4.sub(sum, middle));
    v128.store(dst + 3 * dstStride, g2);
    return;
  }
  const sixth = splat(<f32>(1.0 / 6.0));
  const outer = f32x4.add(g0, g2);
  v128.store(dst, f32x4.mul(splat(0.25), g0));
  // −(g0 + g2 ± g1) / 6
  v128.store(dst + dstStride, f32x4.neg(f32x4.mul(sixth, f32x4.add(outer, g1))));
  v128.store(dst + 2 * dstStride, f32x4.neg(f32x4.mul(sixth, f32x4.sub(outer, g1))));
  // (g0 / 24 + g2 / 6) ± g1 / 12
  const even = f32x4.add(f32x4.mul(splat(<f32>(1.0 / 24.0)), g0), f32x4.mul(sixth, g2));
  const odd = f32x4.mul(splat(<f32>(1.0 / 12.0)), g1);
  v128.store(dst + 3 * dstStride, f32x4.add(even, odd));
  v128.store(dst + 4 * dstStride, f32x4.sub(even, odd));
  v128.store(dst + 5 * dstStride, g2);
}

/** α products through Aᵀ: m outputs. */
function outputRow<T>(src: usize, srcStride: usize, dst: usize, dstStride: usize): void {
  const m = tileSide<T>();
  const d0 = v128.load(src);
  const d1 = v128.load(src + srcStride);
  const d2 = v128.load(src + 2 * srcStride);
  const d3 = v128.load(src + 3 * srcStride);
  if (m === 2) {
    v128.store(dst, f32x4.add(f32x4.add(d0, d1), d2));
    v128.store(dst + dstStride, f32x4.sub(f32x4.sub(d1, d2), d3));
    return;
  }
  const d4 = v128.load(src + 4 * srcStride);
  const d5 = v128.load(src + 5 * srcStride);
  const a = f32x4.add(d1, d2);
  const b = f32x4.sub(d1, d2);
  const c = f32x4.add(d3, d4);
  const e = f32x4.sub(d3, d4);
  v128.store(dst, f32x4.add(f32x4.add(d0, a), c));
  v128.store(dst + dstStride, f32x4.add(b, f32x4.mul(splat(2), e)));
  v128.store(dst + 2 * dstStride, f32x4.add(a, f32x4.mul(splat(4), c)));
  v128.store(dst + 3 * dstStride, f32x4.add(f32x4.add(b, f32x4.mul(splat(8), e)), d5));
}

/** m output gradients through A (Aᵀ's transpose): α values. */
function gradientRow<T>(src: usize, srcStride: usize, dst: usize, dstStride: usize): void {
  const m = tileSide<T>();
  const y0 = v128.load(src);
  const y1 = v128.load(src + srcStride);
  if (m === 2) {
    v128.store(dst, y0);
    v128.store(dst + dstStride, f32x4.add(y0, y1));
    v128.store(dst + 2 * dstStride, f32x4.sub(y0, y1));
    v128.store(dst + 3 * dstStride, f32x4.neg(y1));
    return;
  }
  const y2 = v128.load(src + 2 * srcStride);
  const y3 = v128.load(src + 3 * srcStride);
  const even = f32x4.add(y0, y2);
  const odd = f32x4.add(y1, y3);
  // y0 + 4y2 ± (2y1 + 8y3)
  const even4 = f32x4.add(y0, f32x4.mul(splat(4), y2));
  const odd4 = f32x4.mul(splat(2), f32x4.add(y1, f32x4.mul(splat(4), y3)));
  v128.store(dst, y0);
  v128.store(dst + dstStride, f32x4.add(even, odd));
  v128.store(dst + 2 * dstStride, f32x4.sub(even, odd));
  v128.store(dst + 3 * dstStride, f32x4.add(even4, odd4));
  v128.store(dst + 4 * dstStride, f32x4.sub(even4, odd4));
  v128.store(dst + 5 * dstStride, y3);
}

/** α values through Gᵀ: the 3 taps. */
function tapRow<T>(src: usize, srcStride: usize, dst: usize, dstStride: usize): void {
  const m = tileSide<T>();
  const d0 = v128.load(src);
  const d1 = v128.load(src + srcStride);
  const d2 = v128.load(src + 2 * srcStride);
  const d3 = v128.load(src + 3 * srcStride);
  const half = splat(0.5);
  if (m === 2) {
    const sum = f32x4.mul(half, f32x4.add(d1, d2));
    v128.store(dst, f32x4.add(d0, sum));
    v128.store(dst + dstStride, f32x4.mul(half, f32x4.sub(d1, d2)));
    v128.store(dst + 2 * dstStride, f32x4.add(sum, d3));
    return;
  }
  const d4 = v128.load(src + 4 * srcStride);
  const d5 = v128.load(src + 5 * srcStride);
  const sixth = splat(<f32>(1.0 / 6.0));
  const a = f32x4.add(d1, d2);
  const b = f32x4.sub(d2, d1);
  const c = f32x4.add(d3, d4);
  const e = f32x4.sub(d3, d4);
  // w0 = d0/4 − (d1 + d2)/6 + (d3 + d4)/24
  v128.store(
    dst,
    f32x4.add(
      f32x4.sub(f32x4.mul(splat(0.25), d0), f32x4.mul(sixth, a)),
      f32x4.mul(splat(<f32>(1.0 / 24.0)), c),
    ),
  );
  // w1 = (d2 − d1)/6 + (d3 − d4)/12
  v128.store(
    dst + dstStride,
    f32x4.add(f32x4.mul(sixth, b), f32x4.mul(splat(<f32>(1.0 / 12.0)), e)),
  );
  // w2 = (d3 + d4 − d1 − d2)/6 + d5
  v128.store(dst + 2 * dstStride, f32x4.add(f32x4.mul(sixth, f32x4.sub(c, a)), d5));
}

/** `lines` applications of inputRow, the k-th reading at src + k·srcLine and writing at dst + k·dstLine. */
export function inputPass<T>(
  lines: i32,
  src: usize,
  srcLine: usize,
  srcStride: usize,
  dst: usize,
  dstLine: usize,
  dstStride: usize,
): void {
  for (let line = 0; line < lines; line++) {
    inputRow<T>(src + <usize>line * srcLine, srcStride, dst + <usize>line * dstLine, dstStride);
  }
}

/** `lines` applications of filterRow, the k-th reading at src + k·srcLine and writing at dst + k·dstLine. */
export function filterPass<T>(
  lines: i32,
  src: usize,
  srcLine: usize,
  srcStride: usize,
  dst: usize,
  dstLine: usize,
  dstStride: usize,
): void {
  for (let line = 0; line < lines; line++) {
    filterRow<T>(src + <usize>line * srcLine, srcStride, dst + <usize>line * dstLine, dstStride);
  }
}

/** `lines` applications of outputRow, the k-th reading at src + k·srcLine and writing at dst + k·dstLine. */
export function outputPass<T>(
  lines: i32,
  src: usize,
  srcLine: usize,
  srcStride: usize,
  dst: usize,
  dstLine: usize,
  dstStride: usize,
): void {
  for (let line = 0; line < lines; line++) {
    outputRow<T>(src + <usize>line * srcLine, srcStride, dst + <usize>line * dstLine, dstStride);
  }
}

/** `lines` applications of gradientRow, the k-th reading at src + k·srcLine and writing at dst + k·dstLine. */
export function gradientPass<T>(
  lines: i32,
  src: usize,
  srcLine: usize,
  srcStride: usize,
  dst: usize,
  dstLine: usize,
  dstStride: usize,
): void {
  for (let line = 0; line < lines; line++) {
    gradientRow<T>(src + <usize>line * srcLine, srcStride, dst + <usize>line * dstLine, dstStride);
  }
}

/** `lines` applications of tapRow, the k-th reading at src + k·srcLine and writing at dst + k·dstLine. */
export function tapPass<T>(
  lines: i32,
  src: usize,
  srcLine: usize,
  srcStride: usize,
  dst: usize,
  dstLine: usize,
  dstStride: usize,
): void {
  for (let line = 0; line < lines; line++) {
    tapRow<T>(src + <usize>line * srcLine, srcStride, dst + <usize>line * dstLine, dstStride);
  }
}
