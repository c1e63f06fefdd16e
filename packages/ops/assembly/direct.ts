// Direct convolution for layers with very few output channels (a grayscale image filtered by one
// kernel, the vision package's 3×3 filters on 4000×3000 photos, the textbook model 3's 1 → 2
// layer). The GEMM path packs output channels 8 to a panel, so with one output channel 7/8 of its
// multiply-adds are wasted and its im2col copies every pixel 9 times: it ran at ~0.4 GFLOP/s.
// Here the vector runs over 4 neighbouring output pixels of one output row instead, one output
// channel at a time, reading the input in place: with one input channel and stride 1 the four
// pixels' inputs at a tap are four neighbouring floats, a single load.
// The geometry comes from setGeometry() (window.ts); items are whole batch items copied in.

import { madd } from './madd';
import {
  dilationHeight,
  dilationWidth,
  filterHeight,
  filterWidth,
  inChannels,
  inHeight,
  inWidth,
  outHeight,
  outWidth,
  padLeft,
  padTop,
  strideHeight,
  strideWidth,
  zeros,
} from './window';

/** Four floats at p, p + step, p + 2·step, p + 3·step. */
function gather(p: usize, step: usize): v128 {
  let v = v128.load32_zero(p);
  v = v128.load32_lane(p + step, v, 1);
  v = v128.load32_lane(p + 2 * step, v, 2);
  return v128.load32_lane(p + 3 * step, v, 3);
}

/** The same four lanes, each from its own address (a tap in the padding points at zeros). */
function gatherEach(p0: usize, p1: usize, p2: usize, p3: usize): v128 {
  let v = v128.load32_zero(p0);
  v = v128.load32_lane(p1, v, 1);
  v = v128.load32_lane(p2, v, 2);
  return v128.load32_lane(p3, v, 3);
}

/**
 * Where lane `lane`'s input pixel at column `column` of row `rowAddress` is, or the zeros when
 * that column is in the padding or the lane is past the end of the output row.
 */
function laneAddress(rowAddress: usize, column: i32, lane: i32, valid: i32): usize {
  if (lane >= valid || <u32>column >= <u32>inWidth) return zeros;
  return rowAddress + ((<usize>column * <usize>inChannels) << 2);
}

/**
 * One output channel of four output pixels (ow0 .. ow0 + 3 of output row `top`'s window row),
 * summed over every tap and input channel. `weights` points at filter[0, 0, 0, channel]; one step
 * of depth (tap, input channel) is `weightStep` bytes further.
 */
function fourPixels(
  item: usize,
  top: i32,
  left: i32,
  valid: i32,
  weights: usize,
  weightStep: usize,
): v128 {
  const channels = inChannels;
  const pixelBytes = (<usize>channels) << 2;
  const laneBytes = <usize>strideWidth * pixelBytes;
  const reach = left + 3 * strideWidth + (filterWidth - 1) * dilationWidth;
  const interior = valid === 4 && left >= 0 && reach < inWidth;
  const contiguous = channels === 1 && strideWidth === 1;
  let sum = f32x4.splat(0);
  for (let tapRow = 0; tapRow < filterHeight; tapRow++) {
    const inRow = top + tapRow * dilationHeight;
    let w = weights + <usize>(tapRow * filterWidth * channels) * weightStep;
    // A whole row of taps in the padding adds nothing.
    if (<u32>inRow >= <u32>inHeight) continue;
    const rowAddress = item + <usize>(inRow * inWidth) * pixelBytes;
    for (let tapCol = 0; tapCol < filterWidth; tapCol++) {
      const column = left + tapCol * dilationWidth;
      if (interior) {
        const p = rowAddress + <usize>column * pixelBytes;
        if (contiguous) {
          sum = madd(v128.load(p), v128.load32_splat(w), sum);
          w += weightStep;
        } else {
          for (let c = 0; c < channels; c++) {
            sum = madd(gather(p + ((<usize>c) << 2), laneBytes), v128.load32_splat(w), sum);
            w += weightStep;
          }
        }
      } else {
        // Near the image's edge: each lane checks its own column. The zeros area is longer than
        // the channels here (the JS side takes this path only for few input channels).
        const p0 = laneAddress(rowAddress, column, 0, valid);
        const p1 = laneAddress(rowAddress, column + strideWidth, 1, valid);
        const p2 = laneAddress(rowAddress, column + 2 * strideWidth, 2, valid);
        const p3 = laneAddress(rowAddress, column + 3 * strideWidth, 3, valid);
        for (let c = 0; c < channels; c++) {
          const offset = (<usize>c) << 2;
          const v = gatherEach(p0 + offset, p1 + offset, p2 + offset, p3 + offset);
          sum = madd(v, v128.load32_splat(w), sum);
          w += weightStep;
        }
      }
    }
  }
  return sum;
}

/**
 * Like fourPixels for sixteen output pixels whose windows all lie inside the image columns: four
 * accumulators share each weight, and the loop set-up is paid once per 16 pixels, not per 4 (with
 * one input channel a window has only 9 taps, so set-up would otherwise cost as much as the sums).
 */
function sixteenPixels(
  item: usize,
  top: i32,
  left: i32,
  weights: usize,
  weightStep: usize,
  dst: usize,
  dstLaneBytes: usize,
): void {
  const channels = inChannels;
  const pixelBytes = (<usize>channels) << 2;
  const laneBytes = <usize>strideWidth * pixelBytes;
  const vectorBytes = laneBytes << 2;
  const contiguous = channels === 1 && strideWidth === 1;
  let s0 = f32x4.splat(0);
  let s1 = s0;
  let s2 = s0;
  let s3 = s0;
  for (let tapRow = 0; tapRow < filterHeight; tapRow++) {
    const inRow = top + tapRow * dilationHeight;
    if (<u32>inRow >= <u32>inHeight) continue;
    let w = weights + <usize>(tapRow * filterWidth * channels) * weightStep;
    let p = item + <usize>(inRow * inWidth + left) * pixelBytes;
    const tapBytes = <usize>dilationWidth * pixelBytes;
    for (let tapCol = 0; tapCol < filterWidth; tapCol++) {
      if (contiguous) {
        const weight = v128.load32_splat(w);
        s0 = madd(v128.load(p), weight, s0);
        s1 = madd(v128.load(p, 16), weight, s1);
        s2 = madd(v128.load(p, 32), weight, s2);
        s3 = madd(v128.load(p, 48), weight, s3);
        w += weightStep;
      } else {
        for (let c = 0; c < channels; c++) {
          const weight = v128.load32_splat(w);
          const q = p + ((<usize>c) << 2);
          s0 = madd(gather(q, laneBytes), weight, s0);
          s1 = madd(gather(q + vectorBytes, laneBytes), weight, s1);
          s2 = madd(gather(q + 2 * vectorBytes, laneBytes), weight, s2);
          s3 = madd(gather(q + 3 * vectorBytes, laneBytes), weight, s3);
          w += weightStep;
        }
      }
      p += tapBytes;
    }
  }
  storeFour(dst, s0, dstLaneBytes);
  storeFour(dst + 4 * dstLaneBytes, s1, dstLaneBytes);
  storeFour(dst + 8 * dstLaneBytes, s2, dstLaneBytes);
  storeFour(dst + 12 * dstLaneBytes, s3, dstLaneBytes);
}

/** Four output pixels' values of one channel: one store when pixels are adjacent floats. */
function storeFour(dst: usize, sum: v128, laneBytes: usize): void {
  if (laneBytes === 4) {
    v128.store(dst, sum);
    return;
  }
  v128.store32_lane(dst, sum, 0);
  v128.store32_lane(dst + laneBytes, sum, 1);
  v128.store32_lane(dst + 2 * laneBytes, sum, 2);
  v128.store32_lane(dst + 3 * laneBytes, sum, 3);
}

/**
 * out = conv(x, filter) for `items` whole batch items at x, by direct summation, for any number of
 * output channels (the JS side chooses this for few of them). filter is HWIO in wasm memory.
 */
export function convDirect(
  x: usize,
  filter: usize,
  outChannels: i32,
  items: i32,
  out: usize,
): void {
  const inItemBytes = (<usize>(inHeight * inWidth) * <usize>inChannels) << 2;
  const outPixelBytes = (<usize>outChannels) << 2;
  const weightStep = outPixelBytes;
  // How far right of its window's left edge the last tap reads.
  const reach = (filterWidth - 1) * dilationWidth;
  for (let item = 0; item < items; item++) {
    const itemX = x + <usize>item * inItemBytes;
    const itemOut = out + <usize>(item * outHeight * outWidth) * outPixelBytes;
    for (let outRow = 0; outRow < outHeight; outRow++) {
      const top = outRow * strideHeight - padTop;
      const rowOut = itemOut + <usize>(outRow * outWidth) * outPixelBytes;
      for (let channel = 0; channel < outChannels; channel++) {
        const weights = filter + ((<usize>channel) << 2);
        for (let outCol = 0; outCol < outWidth; ) {
          const left = outCol * strideWidth - padLeft;
          const dst = rowOut + <usize>outCol * outPixelBytes + ((<usize>channel) << 2);
          if (outCol + 16 <= outWidth && left >= 0 && left + 15 * strideWidth + reach < inWidth) {
            sixteenPixels(itemX, top, left, weights, weightStep, dst, outPixelBytes);
            outCol += 16;
            continue;
          }
          const valid = min(4, outWidth - outCol);
          const sum = fourPixels(itemX, top, left, valid, weights, weightStep);
          outCol += 4;
          if (valid === 4) {
            storeFour(dst, sum, outPixelBytes);
            continue;
          }
          // Several output channels interleave in NHWC: each pixel's value goes to its own place.
          v128.store32_lane(dst, sum, 0);
          if (valid > 1) v128.store32_lane(dst + outPixelBytes, sum, 1);
          if (valid > 2) v128.store32_lane(dst + 2 * outPixelBytes, sum, 2);
          if (valid > 3) v128.store32_lane(dst + 3 * outPixelBytes, sum, 3);
        }
      }
    }
  }
}
