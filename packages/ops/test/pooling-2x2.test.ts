// The 2x2 / stride 2 / unpadded pooling fast paths against the general reference loops, bit for
// bit: odd and even sizes, batch > 1, channels 1, 3 and 64, ties, NaN and -Infinity. Both the
// reference backend's JS loops (src/reference/pooling-2x2.ts, behind `reference.*`) and the active
// backend (WebAssembly SIMD here, behind the top-level ops) are checked.

import { type Shape, sizeOf, Tensor } from '@convoy/tensor';
import { describe, expect, it } from 'vitest';
import { outputShape } from '../src/geometry.js';
import * as ops from '../src/index.js';
import {
  avgPool2dBackwardReference,
  avgPool2dReference,
  maxPool2dBackwardReference,
  maxPool2dReference,
} from '../src/reference/pooling.js';
import { isPool2x2 } from '../src/reference/pooling-2x2.js';
import { randomTensor } from './helpers/random.js';

const options = { poolSize: 2, strides: 2, padding: 'valid' } as const;

/** The general loops, run on the same geometry the fast path sees. */
function referencePools(x: Tensor<'float32'>, dy: Tensor<'float32'>) {
  const g = ops.poolingGeometry(x.shape, options);
  const batch = { start: 0, end: g.batch };
  const outSize = sizeOf(outputShape(g));
  const max = new Float32Array(outSize);
  maxPool2dReference(x.data, max, g, batch);
  const avg = new Float32Array(outSize);
  avgPool2dReference(x.data, avg, g, batch);
  const maxDx = new Float32Array(x.size);
  maxPool2dBackwardReference(dy.data, x.data, maxDx, g, batch);
  const avgDx = new Float32Array(x.size);
  avgPool2dBackwardReference(dy.data, avgDx, g, batch);
  return { max, avg, maxDx, avgDx };
}

/** The ops on the active backend, and the same ops on the reference backend's loops. */
const implementations = [
  { name: 'active backend', pools: ops },
  { name: 'reference backend', pools: ops.reference },
];

/** Values on a coarse grid, so windows often hold ties. */
function coarse(shape: Shape, seed: number): Tensor<'float32'> {
  const x = randomTensor(shape, seed);
  return new Tensor(
    x.data.map((value) => Math.round(value * 3) / 3),
    shape,
    'float32',
  );
}

const shapes: Shape[] = [
  [1, 2, 2, 1],
  [2, 4, 4, 1],
  [3, 5, 7, 3],
  [2, 28, 28, 64],
  [4, 9, 6, 64],
  [2, 3, 3, 3],
  [1, 6, 11, 1],
];

describe.each(shapes.map((shape) => ({ shape, label: `x=[${shape}] k=2 s=2 p=valid` })))(
  'pool 2x2 fast path $label',
  ({ shape }) => {
    it('takes the fast path', () => {
      expect(isPool2x2(ops.poolingGeometry(shape, options))).toBe(true);
    });

    describe.each(implementations)('$name', ({ pools }) => {
      it.each([
        ['uniform values', (s: Shape) => randomTensor(s, 11)],
        ['values with ties', (s: Shape) => coarse(s, 12)],
      ])('max and average, forward and backward, equal the reference exactly: %s', (_, make) => {
        const x = make(shape);
        const g = ops.poolingGeometry(shape, options);
        const dy = randomTensor(outputShape(g), 13);
        const expected = referencePools(x, dy);
        expect(pools.maxPool2d(x, options).data).toEqual(expected.max);
        expect(pools.avgPool2d(x, options).data).toEqual(expected.avg);
        expect(pools.maxPool2dBackward(dy, x, options).data).toEqual(expected.maxDx);
        expect(pools.avgPool2dBackward(dy, x.shape, options).data).toEqual(expected.avgDx);
      });
    });
  },
);

describe.each(implementations)('pool 2x2 fast path: special values ($name)', ({ pools }) => {
  it('NaN never wins a max, an all-NaN or all -Infinity window routes to its first pixel, -0 gradients become +0 like the reference', () => {
    const nan = Number.NaN;
    const inf = Number.POSITIVE_INFINITY;
    // One image, 2x4 pixels, 2 channels: four windows per channel with NaN, -Infinity and ties.
    const values = [
      [nan, 1, -inf, nan],
      [2, nan, -inf, nan],
      [nan, -inf, 5, 5],
      [nan, -inf, 5, -inf],
      // second row of pixels
      [0.5, nan, -inf, 7],
      [3, -2, -inf, inf],
      [nan, -inf, 5, 5],
      [nan, -inf, -0, -1],
    ];
    const data = new Float32Array(values.flat());
    const x = new Tensor(data, [1, 2, 4, 4], 'float32');
    const dy = new Tensor(new Float32Array([-0, 1, 2, -3, 4, -0, 6, 7]), [1, 1, 2, 4], 'float32');
    const expected = referencePools(x, dy);
    const max = pools.maxPool2d(x, options);
    expect(max.data).toEqual(expected.max);
    expect(Array.from(max.data).map((v) => Object.is(v, -0))).toEqual(
      Array.from(expected.max).map((v) => Object.is(v, -0)),
    );
    const dx = pools.maxPool2dBackward(dy, x, options);
    expect(dx.data).toEqual(expected.maxDx);
    expect(Array.from(dx.data).some((v) => Object.is(v, -0))).toBe(false);
    expect(pools.avgPool2d(x, options).data).toEqual(expected.avg);
    expect(pools.avgPool2dBackward(dy, x.shape, options).data).toEqual(expected.avgDx);
  });

  it('other geometries keep the general loops', () => {
    expect(isPool2x2(ops.poolingGeometry([1, 5, 5, 1], { poolSize: 2, padding: 'same' }))).toBe(
      false,
    );
    expect(isPool2x2(ops.poolingGeometry([1, 6, 6, 1], { poolSize: 2, strides: 1 }))).toBe(false);
    expect(isPool2x2(ops.poolingGeometry([1, 6, 6, 1], { poolSize: 3 }))).toBe(false);
    // 'same' on an even size pads nothing: the fast path applies.
    expect(isPool2x2(ops.poolingGeometry([1, 6, 6, 1], { poolSize: 2, padding: 'same' }))).toBe(
      true,
    );
  });
});
