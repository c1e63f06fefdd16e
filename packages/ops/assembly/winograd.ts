// Winograd convolution for 3×3 filters, stride 1, dilation 1: F(m×m, 3×3) with output tiles of
// m = 2 or 4 (the caller's `m`). Instead of 9 multiply-adds per output pixel, input channel and
// output channel, a tile of m×m outputs costs α² = (m + 2)² of them: 16/4 (2.25× fewer) or 36/16
// (4× fewer), plus the transforms. The multiply-adds are α² independent GEMMs, one per point of
// the α×α grid, run by the packed micro-kernel (gemm.ts); the transforms write its packed
// operands directly.
//
// forward (and the input gradient, as a forward conv with the flipped filter, on the JS side):
//   U[p] = (G g Gᵀ)[p]                 winogradFilter: B operand, [inC × outC] in 8-column panels
//   V[p] = (Bᵀ d B)[p]                 winogradInputRows: A operand, [tiles × inC] in 4-tile panels
//   M[p] = V[p] · U[p]                 winogradMultiply: α² GEMMs into [tiles × outC]
//   y    = Aᵀ M A (+ bias, ReLU)       winogradOutput: into the NHWC output
// filter gradient (dW = Σ over tiles of Gᵀ [(A dy Aᵀ) ⊙ (Bᵀ d B)] G):
//   V'[p] = (Bᵀ d B)[p]                winogradInputColumns: A operand, [inC × tiles] (channels as rows)
//   Z[p]  = (A dy Aᵀ)[p]               winogradGradientColumns: B operand, [tiles × outC]
//   S[p] += V'[p] · Z[p]               winogradMultiplyFilter: α² GEMMs summed over tile blocks
//   dW    = Gᵀ S G                     winogradFilterGradient: into HWIO
// (the filter gradient's kernels are in winograd-gradient.ts)
//
// Every tile's result depends only on its own input window (and, for the GEMM, on each row's own
// A values over the whole depth): which other tiles or batch items share a call never changes a
// forward output or an input gradient — the property the data-parallel trainer relies on.
// The geometry (sizes, channels, padding) comes from setGeometry() (window.ts); outC is passed.

import { gemmPacked } from './gemm';
import { storeColumns } from './transpose';
import { inChannels, inWidth, outHeight, outWidth } from './window';
// biome-ignore lint/style/useImportType: AssemblyScript has no type-only imports.
import { F2, F4, tileSide } from './winograd-rows';
import {
  gathered,
  gatherInput,
  inputWindow,
  loadLanes,
  locateTile,
  roundUp,
  storeLanes,
  taps,
  tileCol,
  tileItem,
  tileRow,
  transformFilter,
  transformInput,
  transformOutput,
} from './winograd-tiles';

const VECTOR: usize = 16;
/** Four tiles' transformed windows (α² vectors each) before they are transposed into panels. */
const fourTiles = memory.data(4 * 36 * 16, 16);
/** The m×m outputs of one tile (4 channels each). */
const tileOutputs = memory.data(16 * 16, 16);

function filterTiles<T>(w: usize, outChannels: i32, dst: usize): void {
  const channels = inChannels;
  const tapBytes = (<usize>(channels * outChannels)) << 2;
  const pointStride = (<usize>(channels * roundUp(outChannels, 8))) << 2;
  // Panel by panel, channel by channel: each point's U is then written in order, 32 bytes at a
  // time (channel-first order jumped a whole panel between stores: 2× slower here).
  for (let panel = 0; panel < outChannels; panel += 8) {
    for (let c = 0; c < channels; c++) {
      for (let k = panel; k < min(panel + 8, outChannels); k += 4) {
        const out =
          dst + ((<usize>((panel >> 3) * channels + c)) << 5) + ((<usize>(k - panel)) << 2);
        const first = w + ((<usize>(c * outChannels + k)) << 2);
        if (k + 4 <= outChannels) {
          transformFilter<T>(first, 3 * tapBytes, tapBytes, out, pointStride);
        } else {
          const lanes = outChannels - k;
          for (let tap = 0; tap < 9; tap++) {
            v128.store(taps + <usize>tap * VECTOR, loadLanes(first + <usize>tap * tapBytes, lanes));
          }
          transformFilter<T>(taps, 3 * VECTOR, VECTOR, out, pointStride);
        }
      }
    }
  }
}

/** U[p] for every point p: the filter (HWIO, inC from setGeometry) as the GEMMs' B operands. */
export function winogradFilter(w: usize, outChannels: i32, dst: usize, m: i32): void {
  if (m === 2) filterTiles<F2>(w, outChannels, dst);
  else filterTiles<F4>(w, outChannels, dst);
}

function inputRows<T>(x: usize, tileStart: i32, tiles: i32, dst: usize): void {
  const m = tileSide<T>();
  const alpha = m + 2;
  const points = alpha * alpha;
  const channels = inChannels;
  const pointStride = (<usize>(roundUp(tiles, 4) * channels)) << 2;
  const pixelBytes = (<usize>channels) << 2;
  const rowBytes = <usize>inWidth * pixelBytes;
  const tileBytes = <usize>points * VECTOR;
  const zero = f32x4.splat(0);
  for (let panel = 0; panel < tiles; panel += 4) {
    const valid = min(4, tiles - panel);
    for (let c = 0; c < channels; c += 4) {
      const lanes = min(4, channels - c);
      for (let t = 0; t < 4; t++) {
        const staged = fourTiles + <usize>t * tileBytes;
        if (t >= valid) {
          for (let p = 0; p < points; p++) v128.store(staged + <usize>p * VECTOR, zero);
          continue;
        }
        locateTile(tileStart + panel + t, m);
        const window = lanes === 4 ? inputWindow(x, m, c) : 0;
        if (window !== 0) {
          transformInput<T>(window, rowBytes, pixelBytes, staged, VECTOR);
        } else {
          gatherInput(x, m, c, lanes);
          transformInput<T>(gathered, <usize>alpha * VECTOR, VECTOR, staged, VECTOR);
        }
      }
      // Panel layout of V[p]: for each channel (a GEMM depth step) the 4 tiles side by side.
      let out = dst + ((<usize>(panel * channels + 4 * c)) << 2);
      for (let p = 0; p < points; p++) {
        const at = fourTiles + <usize>p * VECTOR;
        const r0 = v128.load(at);
        const r1 = v128.load(at + tileBytes);
        const r2 = v128.load(at + 2 * tileBytes);
        const r3 = v128.load(at + 3 * tileBytes);
        if (lanes === 4) storeColumns(r0, r1, r2, r3, out);
        else storeSomeColumns(r0, r1, r2, r3, out, lanes);
        out += pointStride;
      }
    }
  }
}

/** The first `count` (1–3) columns of the 4×4 block with rows r0..r3, 16 bytes apart at out. */
function storeSomeColumns(r0: v128, r1: v128, r2: v128, r3: v128, out: usize, count: i32): void {
  const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5);
  const t1 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
  const t2 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
  const t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
  v128.store(out, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
  if (count > 1) v128.store(out, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7), 16);
  if (count > 2) v128.store(out, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5), 32);
}

/**
 * V[p] for tiles [tileStart, tileStart + tiles) of the input x: point p's [tiles × inC] A operand
 * at dst + p · roundUp(tiles, 4) · inC floats, in 4-tile panels.
 */
export function winogradInputRows(x: usize, tileStart: i32, tiles: i32, dst: usize, m: i32): void {
  if (m === 2) inputRows<F2>(x, tileStart, tiles, dst);
  else inputRows<F4>(x, tileStart, tiles, dst);
}

/** M[p] = V[p] · U[p] for every point: [tiles × outC], rows roundUp(outC, 4) floats apart. */
export function winogradMultiply(
  v: usize,
  u: usize,
  products: usize,
  tiles: i32,
  outChannels: i32,
  m: i32,
): void {
  const alpha = m + 2;
  const channels = inChannels;
  const ldc = roundUp(outChannels, 4);
  const vStride = (<usize>(roundUp(tiles, 4) * channels)) << 2;
  const uStride = (<usize>(channels * roundUp(outChannels, 8))) << 2;
  const mStride = (<usize>(tiles * ldc)) << 2;
  for (let p = 0; p < alpha * alpha; p++) {
    gemmPacked(
      v + <usize>p * vStride,
      u + <usize>p * uStride,
      tiles,
      outChannels,
      channels,
      products + <usize>p * mStride,
      ldc,
      false,
    );
  }
}

function outputTiles<T>(
  products: usize,
  tileStart: i32,
  tiles: i32,
  outChannels: i32,
  out: usize,
  bias: usize,
  addBias: bool,
  relu: bool,
): void {
  const m = tileSide<T>();
  const ldc = roundUp(outChannels, 4);
  const pointStride = (<usize>(tiles * ldc)) << 2;
  const zero = f32x4.splat(0);
  for (let t = 0; t < tiles; t++) {
    locateTile(tileStart + t, m);
    const rows = min(m, outHeight - tileRow);
    const cols = min(m, outWidth - tileCol);
    const first =
      out + ((<usize>(((tileItem * outHeight + tileRow) * outWidth + tileCol) * outChannels)) << 2);
    for (let k = 0; k < outChannels; k += 4) {
      const lanes = min(4, outChannels - k);
      transformOutput<T>(products + ((<usize>(t * ldc + k)) << 2), pointStride, tileOutputs);
      const b = v128.load(bias + ((<usize>k) << 2));
      for (let i = 0; i < rows; i++) {
        for (let j = 0; j < cols; j++) {
          let value = v128.load(tileOutputs + <usize>(i * m + j) * VECTOR);
          // The epilogue as assembly/epilogue.ts applies it: the same bits as a separate pass.
          if (addBias) value = f32x4.add(value, b);
          if (relu) value = f32x4.max(value, zero);
          const at = first + ((<usize>((i * outWidth + j) * outChannels + k)) << 2);
          storeLanes(at, value, lanes);
        }
      }
    }
  }
}

/**
 * y = Aᵀ M A for the tiles, written into the NHWC output of the call's items at out (only pixels
 * inside the output). With addBias, `bias` (roundUp(outC, 4) floats) is added, then ReLU if relu.
 */
export function winogradOutput(
  products: usize,
  tileStart: i32,
  tiles: i32,
  outChannels: i32,
  out: usize,
  bias: usize,
  addBias: bool,
  relu: bool,
  m: i32,
): void {
  if (m === 2) outputTiles<F2>(products, tileStart, tiles, outChannels, out, bias, addBias, relu);
  else outputTiles<F4>(products, tileStart, tiles, outChannels, out, bias, addBias, relu);
}
