// The filter gradient of a Winograd convolution (see winograd.ts for the whole scheme): the sum
// over tiles of Gᵀ [(A dy Aᵀ) ⊙ (Bᵀ d B)] G, with the α² elementwise products summed over the
// tiles — the GEMMs — and the Gᵀ · G done once at the end. Here the GEMM's rows are the input
// channels and its depth is the tiles, so both operands come out of the transforms with channels
// as the vector lanes, already packed, without a transpose.

import { gemmPacked } from './gemm';
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
  transformGradient,
  transformInput,
  transformTaps,
} from './winograd-tiles';

const VECTOR: usize = 16;

function inputColumns<T>(x: usize, tileStart: i32, tiles: i32, dst: usize): void {
  const m = tileSide<T>();
  const alpha = m + 2;
  const channels = inChannels;
  const pointStride = (<usize>(roundUp(channels, 4) * tiles)) << 2;
  const pixelBytes = (<usize>channels) << 2;
  const rowBytes = <usize>inWidth * pixelBytes;
  for (let t = 0; t < tiles; t++) {
    locateTile(tileStart + t, m);
    for (let c = 0; c < channels; c += 4) {
      const lanes = min(4, channels - c);
      // Panel layout of V'[p]: for each tile (a GEMM depth step) 4 channels side by side.
      const out = dst + ((<usize>((c >> 2) * tiles + t)) << 4);
      const window = lanes === 4 ? inputWindow(x, m, c) : 0;
      if (window !== 0) {
        transformInput<T>(window, rowBytes, pixelBytes, out, pointStride);
      } else {
        gatherInput(x, m, c, lanes);
        transformInput<T>(gathered, <usize>alpha * VECTOR, VECTOR, out, pointStride);
      }
    }
  }
}

/**
 * V'[p] for the tiles: point p's [inC × tiles] A operand at dst + p · roundUp(inC, 4) · tiles
 * floats, channels in 4-row panels (the transform's lanes, so no transpose).
 */
export function winogradInputColumns(
  x: usize,
  tileStart: i32,
  tiles: i32,
  dst: usize,
  m: i32,
): void {
  if (m === 2) inputColumns<F2>(x, tileStart, tiles, dst);
  else inputColumns<F4>(x, tileStart, tiles, dst);
}

function gradientColumns<T>(
  dy: usize,
  tileStart: i32,
  tiles: i32,
  outChannels: i32,
  dst: usize,
): void {
  const m = tileSide<T>();
  const pointStride = (<usize>(tiles * roundUp(outChannels, 8))) << 2;
  const pixelBytes = (<usize>outChannels) << 2;
  const rowBytes = <usize>outWidth * pixelBytes;
  const zero = f32x4.splat(0);
  for (let t = 0; t < tiles; t++) {
    locateTile(tileStart + t, m);
    const rows = min(m, outHeight - tileRow);
    const cols = min(m, outWidth - tileCol);
    const first =
      dy + ((<usize>(((tileItem * outHeight + tileRow) * outWidth + tileCol) * outChannels)) << 2);
    for (let k = 0; k < outChannels; k += 4) {
      const lanes = min(4, outChannels - k);
      const out = dst + ((<usize>((k >> 3) * tiles + t)) << 5) + ((<usize>(k & 4)) << 2);
      if (rows === m && cols === m && lanes === 4) {
        transformGradient<T>(first + ((<usize>k) << 2), rowBytes, pixelBytes, out, pointStride);
        continue;
      }
      // An edge tile: outputs past the edge have no gradient (zeros).
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < m; j++) {
          let v = zero;
          if (i < rows && j < cols) {
            v = loadLanes(first + ((<usize>((i * outWidth + j) * outChannels + k)) << 2), lanes);
          }
          v128.store(gathered + <usize>(i * m + j) * VECTOR, v);
        }
      }
      transformGradient<T>(gathered, <usize>m * VECTOR, VECTOR, out, pointStride);
    }
  }
}

/**
 * Z[p] for the tiles' output gradients dy (NHWC, the call's items): point p's [tiles × outC] B
 * operand at dst + p · tiles · roundUp(outC, 8) floats, in 8-column panels.
 */
export function winogradGradientColumns(
  dy: usize,
  tileStart: i32,
  tiles: i32,
  outChannels: i32,
  dst: usize,
  m: i32,
): void {
  if (m === 2) gradientColumns<F2>(dy, tileStart, tiles, outChannels, dst);
  else gradientColumns<F4>(dy, tileStart, tiles, outChannels, dst);
}

/**
 * S[p] (+)= V'[p] · Z[p] for every point: [inC × outC], rows roundUp(outC, 4) floats apart;
 * overwritten unless `accumulate`.
 */
export function winogradMultiplyFilter(
  v: usize,
  z: usize,
  sums: usize,
  tiles: i32,
  outChannels: i32,
  accumulate: bool,
  m: i32,
): void {
  const alpha = m + 2;
  const channels = inChannels;
  const ldc = roundUp(outChannels, 4);
  const vStride = (<usize>(roundUp(channels, 4) * tiles)) << 2;
  const zStride = (<usize>(tiles * roundUp(outChannels, 8))) << 2;
  const sStride = (<usize>(channels * ldc)) << 2;
  for (let p = 0; p < alpha * alpha; p++) {
    gemmPacked(
      v + <usize>p * vStride,
      z + <usize>p * zStride,
      channels,
      outChannels,
      tiles,
      sums + <usize>p * sStride,
      ldc,
      accumulate,
    );
  }
}

function filterGradient<T>(sums: usize, outChannels: i32, dw: usize): void {
  const channels = inChannels;
  const ldc = roundUp(outChannels, 4);
  const pointStride = (<usize>(channels * ldc)) << 2;
  const tapBytes = (<usize>(channels * outChannels)) << 2;
  for (let c = 0; c < channels; c++) {
    for (let k = 0; k < outChannels; k += 4) {
      const lanes = min(4, outChannels - k);
      transformTaps<T>(sums + ((<usize>(c * ldc + k)) << 2), pointStride, taps, VECTOR);
      const first = dw + ((<usize>(c * outChannels + k)) << 2);
      for (let tap = 0; tap < 9; tap++) {
        storeLanes(first + <usize>tap * tapBytes, v128.load(taps + <usize>tap * VECTOR), lanes);
      }
    }
  }
}

/** dW (HWIO, 3×3 × inC × outC) = Gᵀ S G from the summed products S. */
export function winogradFilterGradient(sums: usize, outChannels: i32, dw: usize, m: i32): void {
  if (m === 2) filterGradient<F2>(sums, outChannels, dw);
  else filterGradient<F4>(sums, outChannels, dw);
}
