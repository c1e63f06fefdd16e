// The conv2d epilogue, applied to a block of output rows while it is still in cache: add a bias
// per column (output channel), then ReLU. f32x4.max and f32.max give what relu's Math.max gives:
// max(-0, 0) is +0 and a NaN stays NaN.

/**
 * data[rows × cols] (row-major, contiguous) = relu?(data + bias), `bias` pointing at `cols` floats.
 * A ReLU without a bias passes zeros: adding +0 changes no float but -0, which ReLU maps to +0.
 */
export function biasActivate(data: usize, rows: i32, cols: i32, bias: usize, relu: bool): void {
  const vectorCols = cols & ~3;
  const zero = f32x4.splat(0);
  for (let row = 0; row < rows; row++) {
    let col = 0;
    for (; col < vectorCols; col += 4) {
      const at = data + ((<usize>col) << 2);
      let value = f32x4.add(v128.load(at), v128.load(bias + ((<usize>col) << 2)));
      if (relu) value = f32x4.max(value, zero);
      v128.store(at, value);
    }
    for (; col < cols; col++) {
      const at = data + ((<usize>col) << 2);
      let value = load<f32>(at) + load<f32>(bias + ((<usize>col) << 2));
      if (relu) value = max<f32>(value, 0);
      store<f32>(at, value);
    }
    data += (<usize>cols) << 2;
  }
}
