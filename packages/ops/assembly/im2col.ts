// im2col that writes the GEMM's packed layouts directly (no unpacked column matrix in between),
// and col2im, its adjoint, which scatter-adds columns back into an image.
//   im2colPacked:           rows = output pixels, depth = (tapRow, tapCol, channel): the A operand
//                           of conv2d forward (4-row panels).
//   im2colTransposedPacked: rows = (tapRow, tapCol, channel), depth = output pixels: the A
//                           operand of the filter gradient.
// Taps in the padding read zeros. Channel counts that are multiples of 4 take vector paths, and so
// does one channel at stride 1 (a grayscale first layer): four neighbouring pixels read four
// neighbouring inputs per tap. Each output row's window origin is computed once (it needs
// divisions), then every tap is an add.

import { storeColumns } from './transpose';
import {
  dilationHeight,
  dilationWidth,
  filterHeight,
  filterWidth,
  inChannels,
  inHeight,
  inWidth,
  itemAddress,
  OUTSIDE,
  outHeight,
  outWidth,
  strideWidth,
  tapAddress,
  windowLeft,
  windowTop,
  ZERO_CHANNELS,
  zeros,
} from './window';

function orZeros(address: usize): usize {
  return address === 0 ? zeros : address;
}

/** Packs output pixels [rowStart, rowStart + rows) of the input x into 4-row A panels at dst. */
export function im2colPacked(x: usize, rowStart: i32, rows: i32, dst: usize): void {
  const channels = inChannels;
  const depth = filterHeight * filterWidth * channels;
  const vectorPath = (channels & 3) === 0 && channels <= ZERO_CHANNELS;
  for (let panel = 0; panel < rows; panel += 4) {
    const row = rowStart + panel;
    const valid = min(4, rows - panel);
    const panelDst = dst + ((<usize>(panel >> 2) * <usize>depth) << 4);
    // Window origins of the panel's 4 rows. Usually they are neighbours in one output row (then
    // only row 0 needs divisions); rows past the end get an origin outside the image, so all
    // their taps read zeros.
    const pixel0 = row % (outHeight * outWidth);
    const sameOutputRow = valid === 4 && (pixel0 % outWidth) + 3 < outWidth;
    const item0 = itemAddress(x, row);
    const top0 = windowTop(row);
    const left0 = windowLeft(row);
    let item1 = item0;
    let item2 = item0;
    let item3 = item0;
    let top1 = top0;
    let top2 = top0;
    let top3 = top0;
    let left1 = left0 + strideWidth;
    let left2 = left1 + strideWidth;
    let left3 = left2 + strideWidth;
    if (!sameOutputRow) {
      item1 = valid > 1 ? itemAddress(x, row + 1) : 0;
      top1 = valid > 1 ? windowTop(row + 1) : OUTSIDE;
      left1 = valid > 1 ? windowLeft(row + 1) : 0;
      item2 = valid > 2 ? itemAddress(x, row + 2) : 0;
      top2 = valid > 2 ? windowTop(row + 2) : OUTSIDE;
      left2 = valid > 2 ? windowLeft(row + 2) : 0;
      item3 = valid > 3 ? itemAddress(x, row + 3) : 0;
      top3 = valid > 3 ? windowTop(row + 3) : OUTSIDE;
      left3 = valid > 3 ? windowLeft(row + 3) : 0;
    }
    // Interior panel: four pixels of one output row whose windows all lie inside the image.
    // Then every tap address is the first one plus fixed steps, with no bounds tests.
    const pixelBytes = (<usize>channels) << 2;
    const interior =
      sameOutputRow &&
      top0 >= 0 &&
      left0 >= 0 &&
      top0 + (filterHeight - 1) * dilationHeight < inHeight &&
      left3 + (filterWidth - 1) * dilationWidth < inWidth;
    const firstTap = interior ? item0 + <usize>(top0 * inWidth + left0) * pixelBytes : 0;
    const tapRowBytes = <usize>(dilationHeight * inWidth) * pixelBytes;
    const tapColBytes = <usize>dilationWidth * pixelBytes;
    const neighbourBytes = <usize>strideWidth * pixelBytes;
    if (interior && channels === 1 && strideWidth === 1) {
      // One channel, stride 1, inside the image: each tap's four inputs are one vector, which is
      // already the panel's depth step.
      let out = panelDst;
      for (let tapRow = 0; tapRow < filterHeight; tapRow++) {
        const rowTap = firstTap + <usize>tapRow * tapRowBytes;
        for (let tapCol = 0; tapCol < filterWidth; tapCol++) {
          v128.store(out, v128.load(rowTap + <usize>tapCol * tapColBytes));
          out += 16;
        }
      }
      continue;
    }
    for (let tapRow = 0; tapRow < filterHeight; tapRow++) {
      for (let tapCol = 0; tapCol < filterWidth; tapCol++) {
        let p0: usize, p1: usize, p2: usize, p3: usize;
        if (interior) {
          p0 = firstTap + <usize>tapRow * tapRowBytes + <usize>tapCol * tapColBytes;
          p1 = p0 + neighbourBytes;
          p2 = p1 + neighbourBytes;
          p3 = p2 + neighbourBytes;
        } else {
          p0 = orZeros(tapAddress(item0, top0, left0, tapRow, tapCol));
          p1 = orZeros(tapAddress(item1, top1, left1, tapRow, tapCol));
          p2 = orZeros(tapAddress(item2, top2, left2, tapRow, tapCol));
          p3 = orZeros(tapAddress(item3, top3, left3, tapRow, tapCol));
        }
        let out = panelDst + ((<usize>((tapRow * filterWidth + tapCol) * channels)) << 4);
        if (vectorPath) {
          for (let c = 0; c < channels; c += 4) {
            const offset = (<usize>c) << 2;
            const r0 = v128.load(p0 + offset);
            const r1 = v128.load(p1 + offset);
            const r2 = v128.load(p2 + offset);
            const r3 = v128.load(p3 + offset);
            // Four pixels' channels c..c+3 become four depth steps of 4 rows.
            storeColumns(r0, r1, r2, r3, out);
            out += 64;
          }
        } else if (channels === 1 && p1 === p0 + 4 && p2 === p0 + 8 && p3 === p0 + 12) {
          // One channel (a grayscale image, the first conv layer): four neighbouring pixels of
          // one output row read four neighbouring inputs, which are already the panel's step.
          v128.store(out, v128.load(p0));
        } else {
          // The zero area may be shorter than the channels here, so padding taps use a flag.
          const in0 = p0 !== zeros;
          const in1 = p1 !== zeros;
          const in2 = p2 !== zeros;
          const in3 = p3 !== zeros;
          for (let c = 0; c < channels; c++) {
            const offset = (<usize>c) << 2;
            store<f32>(out, in0 ? load<f32>(p0 + offset) : 0);
            store<f32>(out, in1 ? load<f32>(p1 + offset) : 0, 4);
            store<f32>(out, in2 ? load<f32>(p2 + offset) : 0, 8);
            store<f32>(out, in3 ? load<f32>(p3 + offset) : 0, 12);
            out += 16;
          }
        }
      }
    }
  }
}

/**
 * One input channel, stride 1: four neighbouring output pixels whose windows lie inside the image.
 * At each tap their four inputs are four neighbouring floats (one load); four taps' loads, as
 * rows of a 4×4 block, transpose into the four pixels' slots of one panel.
 */
function packFourPixels(item: usize, top: i32, left: i32, out: usize, panelBytes: usize): void {
  let r0 = f32x4.splat(0);
  let r1 = r0;
  let r2 = r0;
  let tap = 0;
  for (let tapRow = 0; tapRow < filterHeight; tapRow++) {
    const rowAddress = item + ((<usize>((top + tapRow * dilationHeight) * inWidth + left)) << 2);
    for (let tapCol = 0; tapCol < filterWidth; tapCol++) {
      const inputs = v128.load(rowAddress + ((<usize>(tapCol * dilationWidth)) << 2));
      const lane = tap & 3;
      if (lane === 0) r0 = inputs;
      else if (lane === 1) r1 = inputs;
      else if (lane === 2) r2 = inputs;
      else {
        storeColumns(r0, r1, r2, inputs, out);
        out += panelBytes;
      }
      tap++;
    }
  }
  const rest = tap & 3;
  if (rest !== 0) {
    // The last panel's rows past the depth are zero padding.
    const zero = f32x4.splat(0);
    if (rest < 2) r1 = zero;
    if (rest < 3) r2 = zero;
    storeColumns(r0, r1, r2, zero, out);
  }
}

/**
 * Packs the transposed im2col of output pixels [rowStart, rowStart + rows) into 4-row A panels
 * at dst: panel i holds depth rows 4i..4i+3 for every pixel (pixels are the GEMM's depth here).
 */
export function im2colTransposedPacked(x: usize, rowStart: i32, rows: i32, dst: usize): void {
  const channels = inChannels;
  const depth = filterHeight * filterWidth * channels;
  const panelBytes = (<usize>rows) << 4;
  const vectorPath = (channels & 3) === 0 && channels <= ZERO_CHANNELS;
  const paddedDepth = (depth + 3) & ~3;
  const fourAtOnce = channels === 1 && strideWidth === 1;
  const lastTapRow = (filterHeight - 1) * dilationHeight;
  const lastTapCol = (filterWidth - 1) * dilationWidth;
  for (let pixel = 0; pixel < rows; pixel++) {
    const row = rowStart + pixel;
    const item = itemAddress(x, row);
    const top = windowTop(row);
    const left = windowLeft(row);
    const pixelDst = dst + ((<usize>pixel) << 4);
    if (
      fourAtOnce &&
      pixel + 4 <= rows &&
      (row % (outHeight * outWidth)) % outWidth < outWidth - 3 &&
      top >= 0 &&
      left >= 0 &&
      top + lastTapRow < inHeight &&
      left + 3 + lastTapCol < inWidth
    ) {
      packFourPixels(item, top, left, pixelDst, panelBytes);
      pixel += 3;
      continue;
    }
    if (vectorPath) {
      // Four consecutive depth rows are four channels of one tap: one vector per panel.
      let out = pixelDst;
      for (let tapRow = 0; tapRow < filterHeight; tapRow++) {
        for (let tapCol = 0; tapCol < filterWidth; tapCol++) {
          const src = orZeros(tapAddress(item, top, left, tapRow, tapCol));
          for (let c = 0; c < channels; c += 4) {
            v128.store(out, v128.load(src + ((<usize>c) << 2)));
            out += panelBytes;
          }
        }
      }
      continue;
    }
    // Scalar: depth index k = (tapRow·filterWidth + tapCol)·channels + channel; zero-pad to 4.
    for (let k = 0; k < paddedDepth; k++)
      store<f32>(pixelDst + <usize>(k >> 2) * panelBytes + ((<usize>(k & 3)) << 2), 0);
    let k = 0;
    for (let tapRow = 0; tapRow < filterHeight; tapRow++) {
      for (let tapCol = 0; tapCol < filterWidth; tapCol++) {
        const src = tapAddress(item, top, left, tapRow, tapCol);
        for (let c = 0; c < channels; c++) {
          if (src !== 0) {
            const value = load<f32>(src + ((<usize>c) << 2));
            store<f32>(pixelDst + <usize>(k >> 2) * panelBytes + ((<usize>(k & 3)) << 2), value);
          }
          k++;
        }
      }
    }
  }
}

/**
 * dx += col2im(columns) for output pixels [rowStart, rowStart + rows): columns is rows × depth,
 * row-major; each tap's channels are added into the input pixel that tap read.
 */
export function col2imAdd(columns: usize, rowStart: i32, rows: i32, dx: usize): void {
  const channels = inChannels;
  const depth = filterHeight * filterWidth * channels;
  const vectorPath = (channels & 3) === 0;
  for (let pixel = 0; pixel < rows; pixel++) {
    const row = rowStart + pixel;
    const item = itemAddress(dx, row);
    const top = windowTop(row);
    const left = windowLeft(row);
    let src = columns + ((<usize>pixel * <usize>depth) << 2);
    for (let tapRow = 0; tapRow < filterHeight; tapRow++) {
      for (let tapCol = 0; tapCol < filterWidth; tapCol++) {
        const target = tapAddress(item, top, left, tapRow, tapCol);
        if (target !== 0) {
          if (vectorPath) {
            for (let c = 0; c < channels; c += 4) {
              const offset = (<usize>c) << 2;
              v128.store(
                target + offset,
                f32x4.add(v128.load(target + offset), v128.load(src + offset)),
              );
            }
          } else {
            for (let c = 0; c < channels; c++) {
              const offset = (<usize>c) << 2;
              store<f32>(target + offset, load<f32>(target + offset) + load<f32>(src + offset));
            }
          }
        }
        src += (<usize>channels) << 2;
      }
    }
  }
}
