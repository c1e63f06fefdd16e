// The WebAssembly pooling kernels equal the general reference loops bit for bit, in both builds:
// max and average, forward and backward, over batch ranges (all, part, one, none), channel counts
// that are and are not multiples of 4 (1, 3, 4, 5, 8, 33, 64), odd heights and widths, ties, NaN,
// ±Infinity and -0; groups of items, items banded by rows, and the geometries that fall back to
// the reference loops. Outside the range nothing is written.

import { type Shape, sizeOf, Tensor } from '@convoy/tensor';
import { describe, expect, it } from 'vitest';
import type { Range } from '../../src/backend.js';
import { activeBackend } from '../../src/backend-registry.js';
import { outputShape, type WindowGeometry } from '../../src/geometry.js';
import * as ops from '../../src/index.js';
import type { PoolingOptions } from '../../src/pooling.js';
import { referenceBackend } from '../../src/reference/backend.js';
import {
  avgPool2dBackwardReference,
  avgPool2dReference,
  maxPool2dBackwardReference,
  maxPool2dReference,
} from '../../src/reference/pooling.js';
import { isPool2x2 } from '../../src/reference/pooling-2x2.js';
import { createWasmBackend, supportedWasmVariants } from '../../src/wasm/backend.js';
import { randomTensor } from '../helpers/random.js';
import { nanArray } from './compare.js';
import { expectSameFloats } from './exact.js';

interface PoolCase {
  xShape: Shape;
  options: PoolingOptions;
  ranges: Range[];
  /** Whether the 2x2 SIMD kernels take it (else the reference loops inside the wasm backend). */
  simd?: false;
}

const pool2x2 = { poolSize: 2, strides: 2, padding: 'valid' } as const;

const cases: PoolCase[] = [
  {
    xShape: [3, 5, 7, 1],
    options: pool2x2,
    ranges: [
      { start: 0, end: 3 },
      { start: 1, end: 3 },
    ],
  },
  { xShape: [2, 6, 9, 3], options: pool2x2, ranges: [{ start: 1, end: 2 }] },
  { xShape: [2, 7, 5, 4], options: pool2x2, ranges: [{ start: 0, end: 2 }] },
  {
    xShape: [3, 9, 11, 5],
    options: pool2x2,
    ranges: [
      { start: 0, end: 3 },
      { start: 2, end: 3 },
      { start: 1, end: 1 },
    ],
  },
  { xShape: [2, 4, 6, 8], options: pool2x2, ranges: [{ start: 0, end: 2 }] },
  {
    xShape: [2, 11, 7, 33],
    options: pool2x2,
    ranges: [
      { start: 0, end: 2 },
      { start: 0, end: 1 },
    ],
  },
  { xShape: [1, 2, 3, 5], options: pool2x2, ranges: [{ start: 0, end: 1 }] },
  // 'same' on even sizes pads nothing: still the 2x2 kernels.
  {
    xShape: [2, 8, 6, 3],
    options: { poolSize: 2, padding: 'same' },
    ranges: [{ start: 0, end: 2 }],
  },
  // The textbook's model 1 pooling, and a batch spanning several copy groups.
  {
    xShape: [4, 28, 28, 64],
    options: pool2x2,
    ranges: [
      { start: 0, end: 4 },
      { start: 1, end: 3 },
    ],
  },
  {
    xShape: [12, 28, 27, 32],
    options: pool2x2,
    ranges: [
      { start: 0, end: 12 },
      { start: 3, end: 11 },
    ],
  },
  // Items larger than the 512K-float copy budget go in bands of rows (odd height and width; even).
  { xShape: [1, 601, 403, 3], options: pool2x2, ranges: [{ start: 0, end: 1 }] },
  { xShape: [2, 1000, 300, 1], options: pool2x2, ranges: [{ start: 1, end: 2 }] },
  // Other geometries run the reference loops inside the wasm backend.
  {
    xShape: [2, 7, 7, 3],
    options: { poolSize: 3, strides: 2, padding: 'same' },
    ranges: [{ start: 0, end: 2 }],
    simd: false,
  },
  {
    xShape: [2, 6, 5, 5],
    options: { poolSize: 2, strides: 1 },
    ranges: [{ start: 1, end: 2 }],
    simd: false,
  },
];

/** Values on a coarse grid (many ties), with NaN, ±Infinity, -0 and +0 scattered through. */
function withSpecials(shape: Shape, seed: number): Tensor<'float32'> {
  const specials = [Number.NaN, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, -0, 0];
  const data = randomTensor(shape, seed).data.map((value, i) => {
    const pick = Math.imul(i + seed, 2654435761) >>> 27; // 0..31
    return pick < specials.length ? specials[pick]! : Math.round(value * 3) / 3;
  });
  return new Tensor(data, shape, 'float32');
}

const variants = supportedWasmVariants();

function label(c: PoolCase): string {
  return `x=[${c.xShape}] ${JSON.stringify(c.options)}`;
}

describe.each(variants)('wasm pooling kernels (%s build)', (variant) => {
  const backend = createWasmBackend({ variant });

  describe.each(cases.map((c) => ({ c, label: label(c) })))('$label', ({ c }) => {
    const g: WindowGeometry = ops.poolingGeometry(c.xShape, c.options);
    const inItem = g.inHeight * g.inWidth * g.inChannels;
    const outItem = g.outHeight * g.outWidth * g.outChannels;
    const inputs = [
      {
        name: 'uniform values',
        x: randomTensor(c.xShape, 31),
        dy: randomTensor(outputShape(g), 32),
      },
      {
        name: 'ties and special values',
        x: withSpecials(c.xShape, 33),
        dy: withSpecials(outputShape(g), 34),
      },
    ];

    it(`${c.simd === false ? 'falls back to the reference loops' : 'takes the 2x2 SIMD kernels'}`, () => {
      expect(isPool2x2(g)).toBe(c.simd !== false);
    });

    describe.each(inputs)('$name', ({ x, dy }) => {
      it.each(c.ranges)('max forward and backward over items [$start, $end)', (range) => {
        const expected = nanArray(g.batch * outItem);
        const actual = nanArray(g.batch * outItem);
        maxPool2dReference(x.data, expected, g, range);
        backend.maxPool2d(x.data, actual, g, range);
        expectSameFloats(actual, expected);

        const expectedDx = nanArray(g.batch * inItem);
        const actualDx = nanArray(g.batch * inItem);
        maxPool2dBackwardReference(dy.data, x.data, expectedDx, g, range);
        backend.maxPool2dBackward(dy.data, x.data, actualDx, g, range);
        expectSameFloats(actualDx, expectedDx);
      });

      it.each(c.ranges)('average forward and backward over items [$start, $end)', (range) => {
        const expected = nanArray(g.batch * outItem);
        const actual = nanArray(g.batch * outItem);
        avgPool2dReference(x.data, expected, g, range);
        backend.avgPool2d(x.data, actual, g, range);
        expectSameFloats(actual, expected);

        const expectedDx = nanArray(g.batch * inItem);
        const actualDx = nanArray(g.batch * inItem);
        avgPool2dBackwardReference(dy.data, expectedDx, g, range);
        backend.avgPool2dBackward(dy.data, actualDx, g, range);
        expectSameFloats(actualDx, expectedDx);
      });
    });
  });

  it('overwrites a reused output completely (no stale values under the winners or odd edges)', () => {
    const g = ops.poolingGeometry([2, 5, 7, 5], pool2x2);
    const x = randomTensor([2, 5, 7, 5], 41);
    const dy = randomTensor(outputShape(g), 42);
    const whole = { start: 0, end: 2 };
    const expected = new Float32Array(x.size);
    maxPool2dBackwardReference(dy.data, x.data, expected, g, whole);
    const reused = new Float32Array(x.size).fill(7);
    backend.maxPool2dBackward(dy.data, x.data, reused, g, whole);
    expectSameFloats(reused, expected);
    reused.fill(7);
    avgPool2dBackwardReference(dy.data, expected, g, whole);
    backend.avgPool2dBackward(dy.data, reused, g, whole);
    expectSameFloats(reused, expected);
  });
});

describe('pooling ops on the active backend', () => {
  const shape: Shape = [3, 9, 8, 5];

  it('run on the wasm backend here and equal the reference namespace exactly', () => {
    expect(activeBackend().name).toMatch(/^wasm-/);
    expect(activeBackend()).not.toBe(referenceBackend);
    const x = withSpecials(shape, 51);
    for (const options of [pool2x2, { poolSize: 3, strides: 2, padding: 'same' } as const]) {
      const pooled = ops.maxPool2d(x, options);
      const dy = withSpecials(pooled.shape, 52);
      expectSameFloats(pooled.data, ops.reference.maxPool2d(x, options).data);
      expectSameFloats(
        ops.maxPool2dBackward(dy, x, options).data,
        ops.reference.maxPool2dBackward(dy, x, options).data,
      );
      expectSameFloats(ops.avgPool2d(x, options).data, ops.reference.avgPool2d(x, options).data);
      expectSameFloats(
        ops.avgPool2dBackward(dy, shape, options).data,
        ops.reference.avgPool2dBackward(dy, shape, options).data,
      );
    }
  });

  it('keep the validation messages', () => {
    const x = randomTensor([1, 4, 4, 2], 53);
    expect(() => ops.maxPool2dBackward(randomTensor([1, 3, 3, 2], 54), x)).toThrow(
      'maxPool2dBackward: dy must have the pooled output shape [1, 2, 2, 2], got [1, 3, 3, 2] (input [1, 4, 4, 2], window [2, 2])',
    );
    expect(() => ops.avgPool2d(randomTensor([4, 4, 2], 55))).toThrow(
      'avgPool2d: input must be rank 4 [batch, height, width, channels], got shape [4, 4, 2]',
    );
    expect(sizeOf(ops.maxPool2d(x).shape)).toBe(8);
  });
});
