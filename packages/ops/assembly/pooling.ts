// 2x2 / stride 2 / unpadded pooling, forward and backward, on one band of rows of one NHWC image:
// `inRows` input rows of `inWidth` pixels of `channels` floats, whose output is inRows / 2 rows of
// inWidth / 2 pixels (a last odd row or column belongs to no window). The vector runs over 4
// channels of one window; a channel count that is not a multiple of 4 ends with one vector over
// the last 4 channels, overlapping the previous one (each channel's result does not depend on its
// neighbours, so writing it twice writes the same value), and fewer than 4 channels go one by one.
// Every result equals the reference loops bit for bit (src/reference/pooling.ts):
//   max:  `if (v > best) best = v` from -Infinity in window order, as compare + select, never
//         f32x4.max (which would let NaN win and could pick -0 over +0 on a tie);
//   average: (0 + a + b + c + d) / 4 summed in float64 lanes, rounded once to float32.

const NEGATIVE_INFINITY = f32x4.splat(-Infinity);
const ZEROS = f32x4.splat(0);
const QUARTER = f32x4.splat(0.25);

/** `v` where it beats `best` (a NaN never does), else `best`. */
function keepGreater(v: v128, best: v128): v128 {
  return v128.bitselect(v, best, f32x4.gt(v, best));
}

// ---- max pooling --------------------------------------------------------------------------

function max4(p: usize, pixel: usize, row: usize): v128 {
  let best = keepGreater(v128.load(p), NEGATIVE_INFINITY);
  best = keepGreater(v128.load(p + pixel), best);
  best = keepGreater(v128.load(p + row), best);
  return keepGreater(v128.load(p + row + pixel), best);
}

function max1(p: usize, pixel: usize, row: usize): f32 {
  let best: f32 = -Infinity;
  let v = load<f32>(p);
  if (v > best) best = v;
  v = load<f32>(p + pixel);
  if (v > best) best = v;
  v = load<f32>(p + row);
  if (v > best) best = v;
  v = load<f32>(p + row + pixel);
  if (v > best) best = v;
  return best;
}

export function maxPool2x2(x: usize, out: usize, inRows: i32, inWidth: i32, channels: i32): void {
  const outRows = inRows >> 1;
  const outWidth = inWidth >> 1;
  const pixel = (<usize>channels) << 2;
  const row = <usize>inWidth * pixel;
  const last = channels - 4;
  let o = out;
  for (let oy = 0; oy < outRows; oy++) {
    let p = x + <usize>(2 * oy) * row;
    for (let ox = 0; ox < outWidth; ox++) {
      if (channels >= 4) {
        let c = 0;
        for (; c <= last; c += 4) {
          const offset = (<usize>c) << 2;
          v128.store(o + offset, max4(p + offset, pixel, row));
        }
        if (c < channels) {
          const offset = (<usize>last) << 2;
          v128.store(o + offset, max4(p + offset, pixel, row));
        }
      } else {
        for (let c = 0; c < channels; c++) {
          const offset = (<usize>c) << 2;
          store<f32>(o + offset, max1(p + offset, pixel, row));
        }
      }
      p += 2 * pixel;
      o += pixel;
    }
  }
}

/**
 * dx of one window for 4 channels: dy (plus 0, so a -0 gradient becomes +0 as in the reference's
 * float64 sum from 0) goes to the last pixel in window order that beat everything before it, i.e.
 * the first one holding the maximum, or to the first pixel when nothing beats -Infinity; the other
 * three get +0.
 */
function route4(dy: v128, p: usize, d: usize, pixel: usize, row: usize): void {
  const a = v128.load(p);
  const right = v128.load(p + pixel);
  const below = v128.load(p + row);
  const diagonal = v128.load(p + row + pixel);
  let best = keepGreater(a, NEGATIVE_INFINITY);
  const rightWins = f32x4.gt(right, best);
  best = v128.bitselect(right, best, rightWins);
  const belowWins = f32x4.gt(below, best);
  best = v128.bitselect(below, best, belowWins);
  const diagonalWins = f32x4.gt(diagonal, best);
  const gradient = f32x4.add(dy, ZEROS);
  const toDiagonal = diagonalWins;
  const toBelow = v128.andnot(belowWins, diagonalWins);
  const toRight = v128.andnot(rightWins, v128.or(belowWins, diagonalWins));
  const toFirst = v128.not(v128.or(rightWins, v128.or(belowWins, diagonalWins)));
  v128.store(d, v128.and(gradient, toFirst));
  v128.store(d + pixel, v128.and(gradient, toRight));
  v128.store(d + row, v128.and(gradient, toBelow));
  v128.store(d + row + pixel, v128.and(gradient, toDiagonal));
}

function route1(dy: f32, p: usize, d: usize, pixel: usize, row: usize): void {
  let best: f32 = -Infinity;
  let winner: usize = 0;
  let v = load<f32>(p);
  if (v > best) best = v;
  v = load<f32>(p + pixel);
  if (v > best) {
    best = v;
    winner = pixel;
  }
  v = load<f32>(p + row);
  if (v > best) {
    best = v;
    winner = row;
  }
  if (load<f32>(p + row + pixel) > best) winner = row + pixel;
  store<f32>(d, 0);
  store<f32>(d + pixel, 0);
  store<f32>(d + row, 0);
  store<f32>(d + row + pixel, 0);
  store<f32>(d + winner, dy + 0);
}

/** Zeros the pixels no window covers: the last column of odd widths, the last row of odd heights. */
function zeroUncovered(dx: usize, inRows: i32, inWidth: i32, pixel: usize, row: usize): void {
  const coveredRows = inRows & ~1;
  if (inWidth & 1) {
    const column = dx + <usize>(inWidth - 1) * pixel;
    for (let r = 0; r < coveredRows; r++) memory.fill(column + <usize>r * row, 0, pixel);
  }
  if (coveredRows < inRows) {
    memory.fill(dx + <usize>coveredRows * row, 0, <usize>(inRows - coveredRows) * row);
  }
}

/** dx (inRows × inWidth × channels, every element written) from dy and the forward's input x. */
export function maxPool2x2Backward(
  dy: usize,
  x: usize,
  dx: usize,
  inRows: i32,
  inWidth: i32,
  channels: i32,
): void {
  const outRows = inRows >> 1;
  const outWidth = inWidth >> 1;
  const pixel = (<usize>channels) << 2;
  const row = <usize>inWidth * pixel;
  const last = channels - 4;
  let g = dy;
  for (let oy = 0; oy < outRows; oy++) {
    const rowOffset = <usize>(2 * oy) * row;
    let p = x + rowOffset;
    let d = dx + rowOffset;
    for (let ox = 0; ox < outWidth; ox++) {
      if (channels >= 4) {
        let c = 0;
        for (; c <= last; c += 4) {
          const offset = (<usize>c) << 2;
          route4(v128.load(g + offset), p + offset, d + offset, pixel, row);
        }
        if (c < channels) {
          const offset = (<usize>last) << 2;
          route4(v128.load(g + offset), p + offset, d + offset, pixel, row);
        }
      } else {
        for (let c = 0; c < channels; c++) {
          const offset = (<usize>c) << 2;
          route1(load<f32>(g + offset), p + offset, d + offset, pixel, row);
        }
      }
      p += 2 * pixel;
      d += 2 * pixel;
      g += pixel;
    }
  }
  zeroUncovered(dx, inRows, inWidth, pixel, row);
}

// ---- average pooling ----------------------------------------------------------------------

/** Float64 lanes of the float32 lanes 0, 1 (low) or 2, 3 (high) of v. */
function low(v: v128): v128 {
  return f64x2.promote_low_f32x4(v);
}

function high(v: v128): v128 {
  return f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1));
}

function mean2(a: v128, b: v128, c: v128, d: v128): v128 {
  const sum = f64x2.add(f64x2.add(f64x2.add(f64x2.add(f64x2.splat(0), a), b), c), d);
  // Dividing by 4 and multiplying by 0.25 are both exact here (a power of two, and a sum of four
  // float32s is nowhere near float64's subnormals), so they give the reference's `sum / 4`.
  return f32x4.demote_f64x2_zero(f64x2.mul(sum, f64x2.splat(0.25)));
}

function mean4(p: usize, pixel: usize, row: usize): v128 {
  const a = v128.load(p);
  const b = v128.load(p + pixel);
  const c = v128.load(p + row);
  const d = v128.load(p + row + pixel);
  const lower = mean2(low(a), low(b), low(c), low(d));
  const upper = mean2(high(a), high(b), high(c), high(d));
  return v128.shuffle<f32>(lower, upper, 0, 1, 4, 5);
}

function mean1(p: usize, pixel: usize, row: usize): f32 {
  const sum =
    0 +
    <f64>load<f32>(p) +
    <f64>load<f32>(p + pixel) +
    <f64>load<f32>(p + row) +
    <f64>load<f32>(p + row + pixel);
  return <f32>(sum / 4);
}

export function avgPool2x2(x: usize, out: usize, inRows: i32, inWidth: i32, channels: i32): void {
  const outRows = inRows >> 1;
  const outWidth = inWidth >> 1;
  const pixel = (<usize>channels) << 2;
  const row = <usize>inWidth * pixel;
  const last = channels - 4;
  let o = out;
  for (let oy = 0; oy < outRows; oy++) {
    let p = x + <usize>(2 * oy) * row;
    for (let ox = 0; ox < outWidth; ox++) {
      if (channels >= 4) {
        let c = 0;
        for (; c <= last; c += 4) {
          const offset = (<usize>c) << 2;
          v128.store(o + offset, mean4(p + offset, pixel, row));
        }
        if (c < channels) {
          const offset = (<usize>last) << 2;
          v128.store(o + offset, mean4(p + offset, pixel, row));
        }
      } else {
        for (let c = 0; c < channels; c++) {
          const offset = (<usize>c) << 2;
          store<f32>(o + offset, mean1(p + offset, pixel, row));
        }
      }
      p += 2 * pixel;
      o += pixel;
    }
  }
}

function share4(dy: v128, d: usize, pixel: usize, row: usize): void {
  const share = f32x4.add(f32x4.mul(dy, QUARTER), ZEROS);
  v128.store(d, share);
  v128.store(d + pixel, share);
  v128.store(d + row, share);
  v128.store(d + row + pixel, share);
}

function share1(dy: f32, d: usize, pixel: usize, row: usize): void {
  const share: f32 = dy * 0.25 + 0;
  store<f32>(d, share);
  store<f32>(d + pixel, share);
  store<f32>(d + row, share);
  store<f32>(d + row + pixel, share);
}

/**
 * dx: each window's dy / 4 to its four pixels. In float32 this is the reference's float64
 * `0 + dy / 4` rounded once: dy / 4 is exact in float64, so both round the same exact value, and
 * adding +0 turns -0 into +0 in both.
 */
export function avgPool2x2Backward(
  dy: usize,
  dx: usize,
  inRows: i32,
  inWidth: i32,
  channels: i32,
): void {
  const outRows = inRows >> 1;
  const outWidth = inWidth >> 1;
  const pixel = (<usize>channels) << 2;
  const row = <usize>inWidth * pixel;
  const last = channels - 4;
  let g = dy;
  for (let oy = 0; oy < outRows; oy++) {
    let d = dx + <usize>(2 * oy) * row;
    for (let ox = 0; ox < outWidth; ox++) {
      if (channels >= 4) {
        let c = 0;
        for (; c <= last; c += 4) {
          const offset = (<usize>c) << 2;
          share4(v128.load(g + offset), d + offset, pixel, row);
        }
        if (c < channels) {
          const offset = (<usize>last) << 2;
          share4(v128.load(g + offset), d + offset, pixel, row);
        }
      } else {
        for (let c = 0; c < channels; c++) {
          const offset = (<usize>c) << 2;
          share1(load<f32>(g + offset), d + offset, pixel, row);
        }
      }
      d += 2 * pixel;
      g += pixel;
    }
  }
  zeroUncovered(dx, inRows, inWidth, pixel, row);
}
