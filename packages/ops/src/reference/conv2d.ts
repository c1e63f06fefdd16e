// Plain-loop convolution kernels: the oracle every fast or sharded convolution is tested against.
// NHWC input, HWIO filter. Sums are accumulated in float64 scratch (allocated once per call, never
// per element) so the reference is at least as accurate as any float32 kernel it judges.

import type { ConvEpilogue, GradientPrologue, Range } from '../backend.js';
import type { WindowGeometry } from '../geometry.js';
import { convEpilogueReference } from './epilogue.js';
import { gradientThroughPrologue } from './gradient-prologue.js';

/**
 * out[b, oy, ox, co] = sum over ky, kx, ci of x[b, iy, ix, ci] * filter[ky, kx, ci, co], rounded to
 * float32, then the epilogue (bias, ReLU) if one is given.
 */
export function conv2dReference(
  x: Float32Array,
  filter: Float32Array,
  out: Float32Array,
  g: WindowGeometry,
  batch: Range,
  epilogue?: ConvEpilogue,
): void {
  const { inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = g;
  const sums = new Float64Array(outChannels);
  for (let b = batch.start; b < batch.end; b++) {
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++) {
        sums.fill(0);
        for (let ky = 0; ky < g.filterHeight; ky++) {
          const iy = oy * g.strideHeight - g.padTop + ky * g.dilationHeight;
          if (iy < 0 || iy >= inHeight) continue; // zero padding contributes nothing
          for (let kx = 0; kx < g.filterWidth; kx++) {
            const ix = ox * g.strideWidth - g.padLeft + kx * g.dilationWidth;
            if (ix < 0 || ix >= inWidth) continue;
            const xBase = ((b * inHeight + iy) * inWidth + ix) * inChannels;
            const fBase = (ky * g.filterWidth + kx) * inChannels * outChannels;
            for (let ci = 0; ci < inChannels; ci++) {
              const value = x[xBase + ci]!;
              const fRow = fBase + ci * outChannels;
              for (let co = 0; co < outChannels; co++) sums[co]! += value * filter[fRow + co]!;
            }
          }
        }
        const outBase = ((b * outHeight + oy) * outWidth + ox) * outChannels;
        for (let co = 0; co < outChannels; co++) out[outBase + co] = sums[co]!;
      }
    }
  }
  if (epilogue) convEpilogueReference(out, g, batch, epilogue);
}

/**
 * dx for the batch range: every input pixel receives, from each window it sat in, the output
 * gradient times the filter tap that saw it. Pixels no window saw (possible with strides larger
 * than the window) get zero.
 */
export function conv2dBackpropInputReference(
  dyIn: Float32Array,
  filter: Float32Array,
  dx: Float32Array,
  g: WindowGeometry,
  batch: Range,
  prologue?: GradientPrologue,
): void {
  const { inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = g;
  const outItem = outHeight * outWidth * outChannels;
  const reluOnly = prologue && { y: prologue.y, biasSums: undefined };
  const dy = gradientThroughPrologue(dyIn, reluOnly, outChannels, outItem, batch);
  const imageSize = inHeight * inWidth * inChannels;
  const sums = new Float64Array(imageSize);
  for (let b = batch.start; b < batch.end; b++) {
    sums.fill(0);
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++) {
        const dyBase = ((b * outHeight + oy) * outWidth + ox) * outChannels;
        for (let ky = 0; ky < g.filterHeight; ky++) {
          const iy = oy * g.strideHeight - g.padTop + ky * g.dilationHeight;
          if (iy < 0 || iy >= inHeight) continue;
          for (let kx = 0; kx < g.filterWidth; kx++) {
            const ix = ox * g.strideWidth - g.padLeft + kx * g.dilationWidth;
            if (ix < 0 || ix >= inWidth) continue;
            const sBase = (iy * inWidth + ix) * inChannels;
            const fBase = (ky * g.filterWidth + kx) * inChannels * outChannels;
            for (let ci = 0; ci < inChannels; ci++) {
              const fRow = fBase + ci * outChannels;
              let sum = 0;
              for (let co = 0; co < outChannels; co++) sum += dy[dyBase + co]! * filter[fRow + co]!;
              sums[sBase + ci]! += sum;
            }
          }
        }
      }
    }
    dx.set(sums, b * imageSize);
  }
}

/**
 * dw = sum over the batch range and every window of x[b, iy, ix, ci] * dy[b, oy, ox, co], for dy
 * through the prologue if given (which also adds its bias sums).
 */
export function conv2dBackpropFilterReference(
  x: Float32Array,
  dyIn: Float32Array,
  dw: Float32Array,
  g: WindowGeometry,
  batch: Range,
  prologue?: GradientPrologue,
): void {
  const { inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = g;
  const outItem = outHeight * outWidth * outChannels;
  const dy = gradientThroughPrologue(dyIn, prologue, outChannels, outItem, batch);
  const sums = new Float64Array(g.filterHeight * g.filterWidth * inChannels * outChannels);
  for (let b = batch.start; b < batch.end; b++) {
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++) {
        const dyBase = ((b * outHeight + oy) * outWidth + ox) * outChannels;
        for (let ky = 0; ky < g.filterHeight; ky++) {
          const iy = oy * g.strideHeight - g.padTop + ky * g.dilationHeight;
          if (iy < 0 || iy >= inHeight) continue;
          for (let kx = 0; kx < g.filterWidth; kx++) {
            const ix = ox * g.strideWidth - g.padLeft + kx * g.dilationWidth;
            if (ix < 0 || ix >= inWidth) continue;
            const xBase = ((b * inHeight + iy) * inWidth + ix) * inChannels;
            const wBase = (ky * g.filterWidth + kx) * inChannels * outChannels;
            for (let ci = 0; ci < inChannels; ci++) {
              const value = x[xBase + ci]!;
              const wRow = wBase + ci * outChannels;
              for (let co = 0; co < outChannels; co++) sums[wRow + co]! += value * dy[dyBase + co]!;
            }
          }
        }
      }
    }
  }
  dw.set(sums);
}
