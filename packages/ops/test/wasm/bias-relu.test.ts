// The WebAssembly biasAddReluBackward kernel equals the reference loop bit for bit, in both builds:
// dx on the row range (nothing written outside it) and the bias sums, the float64 per-channel sums
// over the range only, overwritten (the op rounds them once). Channel counts that are and are not multiples of 4, ranges crossing
// the kernel's copy groups, special values, and the op on the active backend with and without
// `out`.

import { Tensor } from '@convoy/tensor';
import { describe, expect, it } from 'vitest';
import type { Range } from '../../src/backend.js';
import { activeBackend } from '../../src/backend-registry.js';
import * as ops from '../../src/index.js';
import { biasAddReluBackwardReference } from '../../src/reference/bias-relu.js';
import { createWasmBackend, supportedWasmVariants } from '../../src/wasm/backend.js';
import { randomTensor } from '../helpers/random.js';
import { nanArray } from './compare.js';
import { expectSameFloats } from './exact.js';

interface BiasCase {
  rows: number;
  channels: number;
  ranges: Range[];
}

const cases: BiasCase[] = [
  {
    rows: 7,
    channels: 1,
    ranges: [
      { start: 0, end: 7 },
      { start: 2, end: 5 },
    ],
  },
  {
    rows: 9,
    channels: 3,
    ranges: [
      { start: 0, end: 9 },
      { start: 4, end: 4 },
    ],
  },
  { rows: 5, channels: 4, ranges: [{ start: 1, end: 5 }] },
  {
    rows: 11,
    channels: 5,
    ranges: [
      { start: 0, end: 11 },
      { start: 3, end: 10 },
    ],
  },
  { rows: 6, channels: 8, ranges: [{ start: 0, end: 6 }] },
  {
    rows: 13,
    channels: 33,
    ranges: [
      { start: 0, end: 13 },
      { start: 12, end: 13 },
    ],
  },
  { rows: 32, channels: 128, ranges: [{ start: 0, end: 32 }] },
  // Model 1's first conv layer on a batch of 8 (8·28·28 rows), and rows beyond one copy group
  // (512K floats for dy, y and dx together).
  {
    rows: 6272,
    channels: 32,
    ranges: [
      { start: 0, end: 6272 },
      { start: 785, end: 5000 },
    ],
  },
  {
    rows: 120_001,
    channels: 5,
    ranges: [
      { start: 0, end: 120_001 },
      { start: 7, end: 90_000 },
    ],
  },
];

/** Mostly random values, with NaN, ±Infinity, -0 and +0 scattered through. */
function withSpecials(size: number, seed: number): Float32Array {
  const specials = [Number.NaN, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, -0, 0];
  return randomTensor([size], seed).data.map((value, i) => {
    const pick = Math.imul(i + seed, 2654435761) >>> 27;
    return pick < specials.length ? specials[pick]! : value;
  });
}

const variants = supportedWasmVariants();

describe.each(variants)('wasm biasAddReluBackward kernel (%s build)', (variant) => {
  const backend = createWasmBackend({ variant });

  describe.each(cases.map((c) => ({ c, label: `rows=${c.rows} channels=${c.channels}` })))(
    '$label',
    ({ c }) => {
      const size = c.rows * c.channels;
      const inputs = [
        {
          name: 'uniform values',
          dy: randomTensor([size], 61).data,
          y: randomTensor([size], 62).data,
        },
        { name: 'special values', dy: withSpecials(size, 63), y: withSpecials(size, 64) },
      ];
      describe.each(inputs)('$name', ({ dy, y }) => {
        it.each(c.ranges)('dx on rows [$start, $end) and the bias sums over them', (range) => {
          const expectedDx = nanArray(size);
          const actualDx = nanArray(size);
          const expectedSums = new Float64Array(c.channels).fill(Number.NaN);
          const actualSums = new Float64Array(c.channels).fill(Number.NaN);
          const g = { channels: c.channels };
          biasAddReluBackwardReference(dy, y, expectedDx, expectedSums, g, range);
          backend.biasAddReluBackward(dy, y, actualDx, actualSums, g, range);
          expectSameFloats(actualDx, expectedDx);
          // Float64 as they are, -0 and +0 told apart, NaN equal to NaN.
          expect(actualSums).toEqual(expectedSums);
        });
      });
    },
  );

  it('two row shards add up to the whole bias sums, and their dx halves to the whole dx', () => {
    const channels = 6;
    const rows = 40;
    const dy = randomTensor([rows * channels], 65).data;
    const y = randomTensor([rows * channels], 66).data;
    const g = { channels };
    const whole = { dx: new Float32Array(rows * channels), dBias: new Float64Array(channels) };
    biasAddReluBackwardReference(dy, y, whole.dx, whole.dBias, g, { start: 0, end: rows });
    const dx = nanArray(rows * channels);
    const first = new Float64Array(channels);
    // Overwritten, not added to.
    const second = new Float64Array(channels).fill(5);
    backend.biasAddReluBackward(dy, y, dx, first, g, { start: 0, end: 17 });
    backend.biasAddReluBackward(dy, y, dx, second, g, { start: 17, end: rows });
    expectSameFloats(dx, whole.dx);
    const summed = first.map((value, c) => value + second[c]!);
    for (let c = 0; c < channels; c++) expect(summed[c]).toBeCloseTo(whole.dBias[c]!, 12);
  });
});

describe('biasAddReluBackward on the active backend', () => {
  it('runs on the wasm backend here and equals the reference namespace exactly, with and without out', () => {
    expect(activeBackend().name).toMatch(/^wasm-/);
    const shape = [3, 7, 5, 33];
    const size = 3 * 7 * 5 * 33;
    const dy = new Tensor(withSpecials(size, 67), shape, 'float32');
    const y = new Tensor(withSpecials(size, 68), shape, 'float32');
    const expected = ops.reference.biasAddReluBackward(dy, y);
    const fused = ops.biasAddReluBackward(dy, y);
    expectSameFloats(fused.dx.data, expected.dx.data);
    expectSameFloats(fused.dBias.data, expected.dBias.data);
    expect(fused.dBias.shape).toEqual([33]);
    const out = new Float32Array(size).fill(3);
    const into = ops.biasAddReluBackward(dy, y, { out });
    expect(into.dx.data).toBe(out);
    expectSameFloats(out, expected.dx.data);
    // out may be dy's own storage (a workspace that recycles the incoming gradient).
    const recycled = new Tensor(dy.data.slice(), shape, 'float32');
    const inPlace = ops.biasAddReluBackward(recycled, y, { out: recycled.data });
    expectSameFloats(inPlace.dx.data, expected.dx.data);
    expectSameFloats(inPlace.dBias.data, expected.dBias.data);
  });

  it('handles a zero-size input', () => {
    const empty = new Tensor(new Float32Array(0), [0, 4], 'float32');
    const { dx, dBias } = ops.biasAddReluBackward(empty, empty);
    expect(dx.shape).toEqual([0, 4]);
    expect(Array.from(dBias.data)).toEqual([0, 0, 0, 0]);
  });
});
