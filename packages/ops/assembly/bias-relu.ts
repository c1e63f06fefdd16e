// The backward pass of relu(x + bias) from the forward's output y, over rows of `channels` floats
// (the bias axis is the last): dx = y > 0 ? dy : 0, and each channel's dx added into a float64
// running sum in row order — the reference's order and precision, so the bias gradient is the
// same bits (src/reference/bias-relu.ts). The vector runs over 4 channels; the float64 sums take
// two f64x2 lanes per vector. Channels past the last multiple of 4 go one by one (an overlapping
// vector, as pooling uses, would add those channels to their sums twice).

const ZEROS = f32x4.splat(0);

function addLanes(sums: usize, gradient: v128): void {
  v128.store(sums, f64x2.add(v128.load(sums), f64x2.promote_low_f32x4(gradient)));
  const upper = v128.shuffle<f32>(gradient, gradient, 2, 3, 0, 1);
  v128.store(sums + 16, f64x2.add(v128.load(sums + 16), f64x2.promote_low_f32x4(upper)));
}

/**
 * dx[rows × channels] from dy and y; sums (channels float64s, 16-byte aligned) accumulates each
 * channel's dx, so a caller can run a long range in several calls.
 */
export function biasReluBackward(
  dy: usize,
  y: usize,
  dx: usize,
  sums: usize,
  rows: i32,
  channels: i32,
): void {
  const vectorChannels = channels & ~3;
  const rowBytes = (<usize>channels) << 2;
  for (let r = 0; r < rows; r++) {
    const base = <usize>r * rowBytes;
    let c = 0;
    for (; c < vectorChannels; c += 4) {
      const offset = base + ((<usize>c) << 2);
      const positive = f32x4.gt(v128.load(y + offset), ZEROS);
      const gradient = v128.and(v128.load(dy + offset), positive);
      v128.store(dx + offset, gradient);
      addLanes(sums + ((<usize>c) << 3), gradient);
    }
    for (; c < channels; c++) {
      const offset = base + ((<usize>c) << 2);
      const gradient: f32 = load<f32>(y + offset) > 0 ? load<f32>(dy + offset) : 0;
      store<f32>(dx + offset, gradient);
      const sum = sums + ((<usize>c) << 3);
      store<f64>(sum, load<f64>(sum) + <f64>gradient);
    }
  }
}
