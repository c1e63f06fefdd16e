// TensorFlow.js on its WebAssembly backend (XNNPACK), the peer. In Node, tfjs-backend-wasm runs
// single-threaded (it only uses threads where a browser gives it cross-origin isolation), so its
// numbers are one core's. The .wasm binaries load from node_modules through setWasmPaths with a
// file path. Results are read back with dataSync(), as Convoy's ops return filled arrays.
//
// tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter kernel. Its stand-in here is the same
// gradient written as a forward convolution, which XNNPACK does run:
//   dW[kh, kw, ci, co] = Σ_{b, oh, ow} x[b, oh + kh − pad, ow + kw − pad, ci] · dy[b, oh, ow, co]
// i.e. conv2d(input = xᵀ [ci, H, W, b], filter = dyᵀ [OH, OW, b, co], explicit padding = the
// layer's), then a transpose of the [ci, kh, kw, co] result to HWIO. The three transposes are
// timed as part of it.

import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import type { BenchCase } from './cases.js';

type ExplicitPadding = [[number, number], [number, number], [number, number], [number, number]];

export const FILTER_GRADIENT_STAND_IN =
  'tfjs-wasm has no Conv2DBackpropFilter kernel: timed as conv2d(transpose(x) [ci,H,W,b], transpose(dy) [OH,OW,b,co], explicit pad) + transpose to HWIO';

export interface TfjsInfo {
  version: string;
  backend: string;
  simd: boolean;
  threads: number;
}

export async function initTfjs(): Promise<TfjsInfo> {
  const require = createRequire(import.meta.url);
  const wasmDir = join(
    dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')),
    'dist',
  );
  setWasmPaths(`${wasmDir}/`);
  await tf.setBackend('wasm');
  await tf.ready();
  const backend = tf.backend() as unknown as { wasm: { tfjs: { getThreadsCount(): number } } };
  return {
    version: tf.version_core,
    backend: tf.getBackend(),
    simd: Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')),
    threads: backend.wasm.tfjs.getThreadsCount(),
  };
}

/** 'same' padding of a stride-1 window, as tfjs's explicit [[0,0],[top,bottom],[left,right],[0,0]]. */
function samePadding(filterShape: readonly number[]): ExplicitPadding {
  const [filterHeight, filterWidth] = filterShape as [number, number];
  const top = Math.floor((filterHeight - 1) / 2);
  const left = Math.floor((filterWidth - 1) / 2);
  return [
    [0, 0],
    [top, filterHeight - 1 - top],
    [left, filterWidth - 1 - left],
    [0, 0],
  ];
}

/** The filter-gradient stand-in (see the top of this file), for a stride-1 'same' layer. */
export function filterGradientStandIn(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterShape: readonly number[],
): tf.Tensor4D {
  return tf.tidy(() => {
    const xT = tf.transpose(x, [3, 1, 2, 0]);
    const dyT = tf.transpose(dy, [1, 2, 0, 3]);
    const dw = tf.conv2d(xT, dyT, 1, samePadding(filterShape));
    return tf.transpose(dw, [1, 2, 0, 3]);
  });
}

/**
 * Computes a result and reads it back. The typed array must not be tf.tidy's return value: tidy
 * walks what it returns looking for tensors, element by element, which for a 1.6M-element array
 * costs seconds and would be charged to tfjs.
 */
function computeAndRead(compute: () => tf.Tensor): void {
  const result = tf.tidy(compute);
  result.dataSync();
  result.dispose();
}

export interface TfjsRunner {
  run(): unknown;
  /** How this case is computed in tfjs, when it is not the obvious kernel. */
  note?: string;
}

export function tfjsRunner(benchCase: BenchCase): TfjsRunner {
  if (benchCase.conv) {
    const { xShape, filterShape } = benchCase.conv;
    const [batch, height, width] = xShape;
    const x = tf.randomUniform(xShape, -1, 1, 'float32', 1) as tf.Tensor4D;
    const filter = tf.randomUniform(filterShape, -1, 1, 'float32', 2) as tf.Tensor4D;
    const dy = tf.randomUniform(
      [batch, height, width, filterShape[3]],
      -1,
      1,
      'float32',
      3,
    ) as tf.Tensor4D;
    switch (benchCase.kind) {
      case 'conv2d':
        return { run: () => computeAndRead(() => tf.conv2d(x, filter, 1, 'same')) };
      case 'conv2dBackpropInput':
        // conv2dTranspose is tfjs's op for the Conv2DBackpropInput kernel.
        return {
          run: () => computeAndRead(() => tf.conv2dTranspose(dy, filter, xShape, 1, 'same')),
        };
      default:
        return {
          run: () => computeAndRead(() => filterGradientStandIn(x, dy, filterShape)),
          note: FILTER_GRADIENT_STAND_IN,
        };
    }
  }
  const { m, k, n } = benchCase.matMul!;
  const a = tf.randomUniform([m, k], -1, 1, 'float32', 4) as tf.Tensor2D;
  const b = tf.randomUniform([k, n], -1, 1, 'float32', 5) as tf.Tensor2D;
  return { run: () => computeAndRead(() => tf.matMul(a, b)) };
}

/** The stand-in on plain arrays, so main.ts can check it against Convoy's filter gradient. */
export function standInOnArrays(
  x: Float32Array,
  xShape: [number, number, number, number],
  dy: Float32Array,
  dyShape: [number, number, number, number],
  filterShape: readonly number[],
): Float32Array {
  const result = tf.tidy(() =>
    filterGradientStandIn(tf.tensor4d(x, xShape), tf.tensor4d(dy, dyShape), filterShape),
  );
  const values = result.dataSync() as Float32Array;
  result.dispose();
  return values;
}
