// The one multiply-add every kernel uses. The relaxed build fuses it into a single instruction
// (f32x4.relaxed_madd, an FMA on x86 with AVX2); the plain-SIMD build keeps mul + add. The branch
// is decided at compile time, so each build contains only its own instruction.

export function madd(a: v128, b: v128, accumulator: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, accumulator);
  return f32x4.add(f32x4.mul(a, b), accumulator);
}
