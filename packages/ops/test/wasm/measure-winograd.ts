// Measures Winograd against the direct algorithm on the textbook's conv layers, one thread (not a
// test: speed is never asserted): for each layer and each kernel (forward, input gradient, filter
// gradient), the direct kernels and Winograd F(2×2, 3×3) and F(4×4, 3×3), interleaved rounds
// after a warm-up, medians. GFLOP/s are "effective": the direct algorithm's multiply-adds over
// the time, so the columns compare as speeds. The selection rule (src/wasm/winograd-rule.ts) is
// read off these tables.
//
//   node --import tsx --conditions=source packages/ops/test/wasm/measure-winograd.ts [filter]

import { loadavg } from 'node:os';
import type { ConvGeometry } from '../../src/conv2d-algorithm.js';
import { windowGeometry } from '../../src/geometry.js';
import { supportedWasmVariants } from '../../src/wasm/backend.js';
import {
  conv2dBackpropFilterWasm,
  conv2dBackpropInputWasm,
  conv2dWasm,
  transposedConvolution,
} from '../../src/wasm/conv2d.js';
import {
  conv2dBackpropFilterWinogradWasm,
  conv2dWinogradWasm,
  type WinogradTile,
} from '../../src/wasm/conv2d-winograd.js';
import { instantiateKernels } from '../../src/wasm/instance.js';

const variant = supportedWasmVariants()[0]!;
const instance = instantiateKernels(variant);
const only = process.argv[2];
const ROUNDS = Number(process.env.ROUNDS ?? 9);
const WARM_MS = Number(process.env.WARM ?? 300);

function random(size: number, seed: number): Float32Array {
  const data = new Float32Array(size);
  let state = seed;
  for (let i = 0; i < size; i++) {
    state = (state * 1664525 + 1013904223) >>> 0;
    data[i] = state / 2 ** 31 - 1;
  }
  return data;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;

/** Runs each candidate, interleaved, and prints ms and effective GFLOP/s. */
function compare(label: string, flops: number, candidates: [string, () => void][]): void {
  if (only && !label.includes(only)) return;
  for (const [, run] of candidates) {
    const end = performance.now() + WARM_MS;
    while (performance.now() < end) run();
  }
  const samples = candidates.map(() => [] as number[]);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [index, [, run]] of candidates.entries()) {
      const start = performance.now();
      run();
      samples[index]!.push(performance.now() - start);
    }
  }
  const direct = median(samples[0]!);
  const cells = candidates.map(([name], index) => {
    const ms = median(samples[index]!);
    return `${name} ${ms.toFixed(2)} ms ${(flops / ms / 1e6).toFixed(1)} (${(direct / ms).toFixed(2)}×)`;
  });
  console.log(`${label.padEnd(44)} ${cells.join(' · ')}`);
}

function layer(
  name: string,
  xShape: [number, number, number, number],
  outChannels: number,
  kernels: ('forward' | 'input' | 'filter')[],
): void {
  const inChannels = xShape[3];
  const g: ConvGeometry = {
    ...windowGeometry({
      op: 'conv2d',
      xShape,
      filterHeight: 3,
      filterWidth: 3,
      outChannels,
      strides: 1,
      dilations: 1,
      padding: 'same',
      windowShape: [3, 3, inChannels, outChannels],
    }),
    algorithm: 'direct',
  };
  const x = random(
    xShape.reduce((a, b) => a * b),
    1,
  );
  const filter = random(9 * inChannels * outChannels, 2);
  const outSize = g.batch * g.outHeight * g.outWidth * outChannels;
  const dy = random(outSize, 3);
  const out = new Float32Array(outSize);
  const dx = new Float32Array(x.length);
  const dw = new Float32Array(filter.length);
  const range = { start: 0, end: g.batch };
  const flops = 2 * outSize * 9 * inChannels;
  const tiles: WinogradTile[] = [2, 4];
  const label = `${name} x=[${xShape}] f=[3,3,${inChannels},${outChannels}]`;
  if (kernels.includes('forward')) {
    compare(`${label} forward`, flops, [
      ['direct', () => conv2dWasm(instance, x, filter, out, g, range)],
      ...tiles.map((tile): [string, () => void] => [
        `F(${tile})`,
        () => conv2dWinogradWasm(instance, x, filter, out, g, range, tile),
      ]),
    ]);
  }
  if (kernels.includes('input')) {
    compare(`${label} input gradient`, flops, [
      ['direct', () => conv2dBackpropInputWasm(instance, dy, filter, dx, g, range)],
      ...tiles.map((tile): [string, () => void] => [
        `F(${tile})`,
        () => {
          const t = transposedConvolution(filter, g)!;
          conv2dWinogradWasm(instance, dy, t.filter, dx, t.geometry, range, tile);
        },
      ]),
    ]);
  }
  if (kernels.includes('filter')) {
    compare(`${label} filter gradient`, flops, [
      ['direct', () => conv2dBackpropFilterWasm(instance, x, dy, dw, g, range)],
      ...tiles.map((tile): [string, () => void] => [
        `F(${tile})`,
        () => conv2dBackpropFilterWinogradWasm(instance, x, dy, dw, g, range, tile),
      ]),
    ]);
  }
}

console.log(`wasm ${variant}, one thread, load average ${loadavg()[0]!.toFixed(2)}`);
const all: ('forward' | 'input' | 'filter')[] = ['forward', 'input', 'filter'];
layer('model 1 conv 2', [32, 28, 28, 32], 64, all);
layer('model 1/2 conv 1', [32, 28, 28, 1], 32, all);
layer('model 3 conv 1', [32, 28, 28, 1], 2, all);
// What one data-parallel replica of two runs (half a batch), and the engine's per-example
// filter gradients (batch 1).
layer('replica of 2', [16, 28, 28, 32], 64, all);
layer('one example', [1, 28, 28, 32], 64, all);
layer('one example', [1, 28, 28, 1], 32, ['filter']);
// Deeper layers on smaller images than the textbook's (as in VGG's later stages), where the
// transformed filter (36 · inC · outC floats, once per call) is large against few tiles.
layer('deeper', [8, 14, 14, 128], 128, all);
layer('deeper', [4, 7, 7, 512], 512, all);
// Small images, 7×7 to 16×16 (4 to 16 tiles of 4×4 per example), at batch 32 and 1.
for (const size of [7, 8, 10, 12, 14, 16]) {
  layer('small images', [32, size, size, 64], 64, all);
  layer('small images', [1, size, size, 64], 64, all);
}
// Channel counts around the rule's thresholds: [inC, outC].
for (const [inChannels, outChannels] of [
  [2, 32],
  [3, 32],
  [4, 32],
  [32, 2],
  [32, 4],
  [4, 4],
  [8, 8],
  [16, 16],
]) {
  layer('channels', [32, 28, 28, inChannels!], outChannels!, all);
}
console.log(`load average ${loadavg()[0]!.toFixed(2)}`);
