// Measures the accuracy of Winograd (F(2×2, 3×3), F(4×4, 3×3)) and of the direct kernels against
// float64 on the textbook's conv layers (not a test; test/wasm/winograd-accuracy.test.ts holds
// the bound): per output, |result − exact| / Σ|term| (the error relative to the magnitude of what
// the output sums), its worst, 99.9th percentile and median over the layer, and the worst error
// relative to the layer's largest output. Inputs uniform in [-1, 1) (x, dy) and Glorot-uniform
// filters, as a freshly initialised layer has.
//
//   node --import tsx --conditions=source packages/ops/test/wasm/measure-accuracy.ts [batch]

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
import {
  conv2dBackpropFilterFloat64,
  conv2dBackpropInputFloat64,
  conv2dFloat64,
  type ErrorSummary,
  errorSummary,
} from '../helpers/conv-float64.js';
import { randomTensor } from '../helpers/random.js';

const batch = Number(process.argv[2] ?? 8);
const format = (e: ErrorSummary) =>
  `worst ${e.worstOfMagnitude.toExponential(1)} · p99.9 ${e.p999OfMagnitude.toExponential(1)} · median ${e.medianOfMagnitude.toExponential(1)} of Σ|term|; worst ${e.worstOfScale.toExponential(1)} of max|y|`;

function layer(name: string, inChannels: number, outChannels: number, padding: 'same' | 'valid') {
  const xShape: [number, number, number, number] = [batch, 28, 28, inChannels];
  const g: ConvGeometry = {
    ...windowGeometry({
      op: 'conv2d',
      xShape,
      filterHeight: 3,
      filterWidth: 3,
      outChannels,
      strides: 1,
      dilations: 1,
      padding,
      windowShape: [3, 3, inChannels, outChannels],
    }),
    algorithm: 'direct',
  };
  const limit = Math.sqrt(6 / (9 * inChannels + 9 * outChannels));
  const x = randomTensor(xShape, 1).data;
  const w = randomTensor([3, 3, inChannels, outChannels], 2, { min: -limit, max: limit }).data;
  const dy = randomTensor([batch, g.outHeight, g.outWidth, outChannels], 3).data;
  const range = { start: 0, end: batch };
  const exact = {
    forward: conv2dFloat64(x, w, g),
    input: conv2dBackpropInputFloat64(dy, w, g),
    filter: conv2dBackpropFilterFloat64(x, dy, g),
  };
  console.log(`${name}: x=[${xShape}] f=[3,3,${inChannels},${outChannels}] ${padding}`);
  for (const variant of supportedWasmVariants()) {
    const instance = instantiateKernels(variant);
    const runs: [string, Float32Array, Float32Array, Float32Array][] = [];
    const direct = [
      new Float32Array(exact.forward.values.length),
      new Float32Array(x.length),
      new Float32Array(w.length),
    ] as const;
    conv2dWasm(instance, x, w, direct[0], g, range);
    conv2dBackpropInputWasm(instance, dy, w, direct[1], g, range);
    conv2dBackpropFilterWasm(instance, x, dy, direct[2], g, range);
    runs.push(['direct', ...direct]);
    for (const tile of [2, 4] as WinogradTile[]) {
      const out = [
        new Float32Array(direct[0].length),
        new Float32Array(x.length),
        new Float32Array(w.length),
      ] as const;
      conv2dWinogradWasm(instance, x, w, out[0], g, range, tile);
      const t = transposedConvolution(w, g)!;
      conv2dWinogradWasm(instance, dy, t.filter, out[1], t.geometry, range, tile);
      conv2dBackpropFilterWinogradWasm(instance, x, dy, out[2], g, range, tile);
      runs.push([`F(${tile}×${tile})`, ...out]);
    }
    for (const [label, forward, input, filter] of runs) {
      console.log(
        `  ${variant.padEnd(12)} ${label.padEnd(8)} forward         ${format(errorSummary(forward, exact.forward))}`,
      );
      console.log(
        `  ${''.padEnd(12)} ${''.padEnd(8)} input gradient  ${format(errorSummary(input, exact.input))}`,
      );
      console.log(
        `  ${''.padEnd(12)} ${''.padEnd(8)} filter gradient ${format(errorSummary(filter, exact.filter))}`,
      );
    }
  }
}

layer('model 1 conv 2', 32, 64, 'same');
layer('model 1/2 conv 1', 1, 32, 'same');
layer('model 3 conv 1', 1, 2, 'same');
layer('model 1 conv 2, valid', 32, 64, 'valid');
