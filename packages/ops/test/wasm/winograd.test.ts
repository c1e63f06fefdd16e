// Winograd's kernels, F(2×2, 3×3) and F(4×4, 3×3), in both builds: forward, input gradient and
// filter gradient within the stated error bound of the exact (float64) results on every kind of
// 3×3 stride-1 convolution ('same', 'valid', explicit and wider-than-the-window padding, channel
// counts that are and are not multiples of 4 and 8, outputs smaller than a tile), writing only
// their batch range; the fused bias + ReLU and the gradient prologue give the bits of the
// unfused passes. The backend's dispatch to them is tested through the executors (test/executor/).

import { describe, expect, it } from 'vitest';
import type { Backend, ConvEpilogue, GradientPrologue, Range } from '../../src/backend.js';
import type { ConvGeometry } from '../../src/conv2d-algorithm.js';
import { type Padding, windowGeometry } from '../../src/geometry.js';
import { supportedWasmVariants } from '../../src/wasm/backend.js';
import { transposedConvolution } from '../../src/wasm/conv2d.js';
import {
  conv2dBackpropFilterWinogradWasm,
  conv2dWinogradWasm,
  type WinogradTile,
} from '../../src/wasm/conv2d-winograd.js';
import { instantiateKernels, type WasmVariant } from '../../src/wasm/instance.js';
import { expectWithinBound } from '../helpers/close.js';
import {
  conv2dBackpropFilterFloat64,
  conv2dBackpropInputFloat64,
  conv2dFloat64,
} from '../helpers/conv-float64.js';
import { randomTensor } from '../helpers/random.js';
import { ERROR_BOUND, tapMagnitudes, tileMagnitudes } from '../helpers/winograd-bound.js';
import { nanArray } from './compare.js';

interface WinogradCase {
  xShape: [number, number, number, number];
  outChannels: number;
  padding: Padding;
  ranges: Range[];
}

const cases: WinogradCase[] = [
  {
    xShape: [3, 7, 9, 5],
    outChannels: 6,
    padding: 'same',
    ranges: [
      { start: 0, end: 3 },
      { start: 1, end: 3 },
    ],
  },
  {
    xShape: [2, 11, 10, 8],
    outChannels: 13,
    padding: 'valid',
    ranges: [
      { start: 0, end: 2 },
      { start: 1, end: 2 },
    ],
  },
  {
    xShape: [3, 13, 12, 3],
    outChannels: 5,
    padding: [
      [1, 2],
      [0, 3],
    ],
    ranges: [
      { start: 0, end: 3 },
      { start: 2, end: 3 },
    ],
  },
  {
    xShape: [2, 5, 5, 9],
    outChannels: 10,
    padding: [
      [2, 2],
      [2, 2],
    ],
    ranges: [{ start: 0, end: 2 }],
  },
  // Padding wider than the window: whole rows and columns of outputs sum nothing but padding,
  // and the input gradient's transposed convolution crops dy.
  {
    xShape: [2, 6, 7, 6],
    outChannels: 7,
    padding: [
      [3, 0],
      [1, 4],
    ],
    ranges: [
      { start: 0, end: 2 },
      { start: 1, end: 2 },
    ],
  },
  {
    xShape: [2, 28, 28, 32],
    outChannels: 64,
    padding: 'same',
    ranges: [
      { start: 0, end: 2 },
      { start: 1, end: 2 },
    ],
  },
  { xShape: [2, 28, 28, 1], outChannels: 32, padding: 'same', ranges: [{ start: 0, end: 2 }] },
  {
    xShape: [4, 6, 5, 12],
    outChannels: 1,
    padding: 'valid',
    ranges: [
      { start: 0, end: 4 },
      { start: 3, end: 4 },
    ],
  },
  { xShape: [1, 3, 3, 4], outChannels: 4, padding: 'valid', ranges: [{ start: 0, end: 1 }] },
  {
    xShape: [3, 4, 4, 17],
    outChannels: 3,
    padding: 'same',
    ranges: [
      { start: 0, end: 3 },
      { start: 2, end: 2 },
    ],
  },
];

function geometryOf(c: WinogradCase): ConvGeometry {
  const g = windowGeometry({
    op: 'conv2d',
    xShape: c.xShape,
    filterHeight: 3,
    filterWidth: 3,
    outChannels: c.outChannels,
    strides: 1,
    dilations: 1,
    padding: c.padding,
    windowShape: [3, 3, c.xShape[3], c.outChannels],
  });
  return { ...g, algorithm: 'winograd' };
}

function describeCase(c: WinogradCase): string {
  return `x=[${c.xShape}] f=[3,3,${c.xShape[3]},${c.outChannels}] p=${JSON.stringify(c.padding)}`;
}

/** The three Winograd kernels of one tile size (the backend's rule picks a tile by image size). */
type Kernels = Pick<Backend, 'conv2d' | 'conv2dBackpropInput' | 'conv2dBackpropFilter'>;

function kernelsFor(variant: WasmVariant, tile: WinogradTile): Kernels {
  const instance = instantiateKernels(variant);
  return {
    conv2d: (x, w, out, g, range, epilogue?: ConvEpilogue) =>
      conv2dWinogradWasm(instance, x, w, out, g, range, tile, epilogue),
    conv2dBackpropInput: (dy, w, dx, g, range, prologue?: GradientPrologue) => {
      const t = transposedConvolution(w, g, true)!;
      const relu = prologue?.y && { y: prologue.y, biasSums: undefined };
      conv2dWinogradWasm(instance, dy, t.filter, dx, t.geometry, range, tile, undefined, relu);
    },
    conv2dBackpropFilter: (x, dy, dw, g, range, prologue?: GradientPrologue) =>
      conv2dBackpropFilterWinogradWasm(instance, x, dy, dw, g, range, tile, prologue),
  };
}

function expectNaNOutside(actual: Float32Array, start: number, end: number): void {
  const outside = [...actual.subarray(0, start), ...actual.subarray(end)];
  expect(
    outside.filter((value) => !Number.isNaN(value)),
    'written outside the range',
  ).toEqual([]);
}

const variants = supportedWasmVariants();
const tiles: WinogradTile[] = [2, 4];

describe.each(variants)('Winograd kernels (%s build)', (variant) => {
  describe.each(tiles.map((tile) => ({ tile, size: `${tile}×${tile}` })))(
    'F($size, 3×3)',
    ({ tile }) => {
      const kernels = kernelsFor(variant, tile);
      const bound = tile === 2 ? ERROR_BOUND.winograd2 : ERROR_BOUND.winograd4;

      describe.each(cases.map((c, index) => ({ c, index, label: describeCase(c) })))(
        '$label',
        ({ c, index }) => {
          const g = geometryOf(c);
          const x = randomTensor(c.xShape, 10 + index).data;
          const w = randomTensor([3, 3, g.inChannels, g.outChannels], 20 + index).data;
          const dy = randomTensor(
            [g.batch, g.outHeight, g.outWidth, g.outChannels],
            30 + index,
          ).data;
          const outItem = g.outHeight * g.outWidth * g.outChannels;
          const inItem = g.inHeight * g.inWidth * g.inChannels;

          it.each(c.ranges)('forward over items [$start, $end)', (range) => {
            const actual = nanArray(g.batch * outItem);
            kernels.conv2d(x, w, actual, g, range);
            const exact = conv2dFloat64(x, w, g);
            const [start, end] = [range.start * outItem, range.end * outItem];
            const outShape = [g.batch, g.outHeight, g.outWidth, g.outChannels];
            const magnitudes = tileMagnitudes(exact.magnitudes, outShape, tile);
            expectWithinBound(actual, exact.values, magnitudes, bound, start, end);
            expectNaNOutside(actual, start, end);
          });

          it.each(c.ranges)('input gradient over items [$start, $end)', (range) => {
            const actual = nanArray(g.batch * inItem);
            kernels.conv2dBackpropInput(dy, w, actual, g, range);
            const exact = conv2dBackpropInputFloat64(dy, w, g);
            const [start, end] = [range.start * inItem, range.end * inItem];
            const magnitudes = tileMagnitudes(exact.magnitudes, c.xShape, tile);
            expectWithinBound(actual, exact.values, magnitudes, bound, start, end);
            expectNaNOutside(actual, start, end);
          });

          it.each(c.ranges)(
            'filter gradient over items [$start, $end), overwriting dw',
            (range) => {
              const actual = nanArray(w.length);
              kernels.conv2dBackpropFilter(x, dy, actual, g, range);
              // The float64 loops sum items 0 … batch − 1: hand them the range's items.
              const exact = conv2dBackpropFilterFloat64(
                x.subarray(range.start * inItem, range.end * inItem),
                dy.subarray(range.start * outItem, range.end * outItem),
                { ...g, batch: range.end - range.start },
              );
              const magnitudes = tapMagnitudes(exact.magnitudes, [
                3,
                3,
                g.inChannels,
                g.outChannels,
              ]);
              expectWithinBound(actual, exact.values, magnitudes, bound);
            },
          );
        },
      );

      it('fuses bias and ReLU into the output write: the bits of the separate passes', () => {
        const c = cases[4]!;
        const g = geometryOf(c);
        const x = randomTensor(c.xShape, 1).data;
        const w = randomTensor([3, 3, g.inChannels, g.outChannels], 2).data;
        const bias = randomTensor([g.outChannels], 3).data;
        const size = g.batch * g.outHeight * g.outWidth * g.outChannels;
        const plain = new Float32Array(size);
        const fused = new Float32Array(size);
        const range = { start: 0, end: g.batch };
        kernels.conv2d(x, w, plain, g, range);
        kernels.conv2d(x, w, fused, g, range, { bias, relu: true });
        const expected = plain.map((value, i) =>
          Math.max(Math.fround(value + bias[i % g.outChannels]!), 0),
        );
        expect(fused).toEqual(expected);
        expect(fused.some((value) => value > 0) && fused.some((value) => value === 0)).toBe(true);
      });

      it('reads dy through the gradient prologue: the bits of a masked dy, and its bias sums', () => {
        const c = cases[0]!;
        const g = geometryOf(c);
        const x = randomTensor(c.xShape, 4).data;
        const w = randomTensor([3, 3, g.inChannels, g.outChannels], 5).data;
        const dy = randomTensor([g.batch, g.outHeight, g.outWidth, g.outChannels], 6).data;
        const y = randomTensor([g.batch, g.outHeight, g.outWidth, g.outChannels], 7).data.map(
          (value) => Math.max(value, 0),
        );
        const masked = dy.map((value, i) => (y[i]! > 0 ? value : 0));
        const range = { start: 0, end: g.batch };
        const [dxFused, dxMasked] = [0, 1].map(() => new Float32Array(x.length));
        kernels.conv2dBackpropInput(dy, w, dxFused!, g, range, { y, biasSums: undefined });
        kernels.conv2dBackpropInput(masked, w, dxMasked!, g, range);
        expect(dxFused).toEqual(dxMasked);
        const [dwFused, dwMasked] = [0, 1].map(() => new Float32Array(w.length));
        const biasSums = new Float64Array(g.outChannels);
        kernels.conv2dBackpropFilter(x, dy, dwFused!, g, range, { y, biasSums });
        kernels.conv2dBackpropFilter(x, masked, dwMasked!, g, range);
        expect(dwFused).toEqual(dwMasked);
        const expectedSums = new Float64Array(g.outChannels);
        masked.forEach((value, i) => {
          expectedSums[i % g.outChannels]! += value;
        });
        expect(biasSums).toEqual(expectedSums);
      });
    },
  );
});
