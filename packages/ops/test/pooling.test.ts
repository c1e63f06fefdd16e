// Max and average pooling: hand-computed values (TensorFlow's padding rules: padding never wins a
// max and is not counted in an average) and central-difference checks of both backwards across
// window sizes, strides 1–3, both paddings, explicit padding, channel counts and batch > 1.

import { type Shape, tensor } from '@convoy/tensor';
import { describe, expect, it } from 'vitest';
import type { Padding, Pair } from '../src/geometry.js';
import * as ops from '../src/index.js';
import { expectClose } from './helpers/close.js';
import { dotLoss, expectGradient } from './helpers/gradient.js';
import { randomTensor, separatedTensor } from './helpers/random.js';

interface PoolCase {
  x: Shape;
  poolSize: Pair;
  strides: Pair;
  padding: Padding;
  outShape: Shape;
}

const cases: PoolCase[] = [
  { x: [2, 4, 4, 1], poolSize: 2, strides: 2, padding: 'valid', outShape: [2, 2, 2, 1] },
  { x: [2, 5, 5, 3], poolSize: 2, strides: 2, padding: 'valid', outShape: [2, 2, 2, 3] },
  { x: [2, 5, 5, 2], poolSize: 2, strides: 2, padding: 'same', outShape: [2, 3, 3, 2] },
  { x: [2, 5, 6, 2], poolSize: 3, strides: 1, padding: 'same', outShape: [2, 5, 6, 2] },
  { x: [2, 7, 7, 2], poolSize: 3, strides: 2, padding: 'valid', outShape: [2, 3, 3, 2] },
  { x: [2, 7, 8, 1], poolSize: 2, strides: 3, padding: 'same', outShape: [2, 3, 3, 1] },
  { x: [3, 6, 7, 2], poolSize: [2, 3], strides: [1, 2], padding: 'valid', outShape: [3, 5, 3, 2] },
  {
    x: [2, 5, 5, 2],
    poolSize: 2,
    strides: 2,
    padding: [
      [1, 0],
      [1, 1],
    ],
    outShape: [2, 3, 3, 2],
  },
];

function label(c: PoolCase): string {
  const padding = typeof c.padding === 'string' ? c.padding : JSON.stringify(c.padding);
  return `x=[${c.x}] k=${JSON.stringify(c.poolSize)} s=${JSON.stringify(c.strides)} p=${padding}`;
}

describe.each(cases.map((c) => ({ ...c, label: label(c) })))('pooling $label', (c) => {
  const options = { poolSize: c.poolSize, strides: c.strides, padding: c.padding };

  it('maxPool2d and avgPool2d give the expected output shape', () => {
    const x = randomTensor(c.x, 1);
    expect(ops.maxPool2d(x, options).shape).toEqual(c.outShape);
    expect(ops.avgPool2d(x, options).shape).toEqual(c.outShape);
  });

  it('maxPool2dBackward matches central differences', () => {
    // Values at least 0.05 apart and a step of 0.01: no perturbation changes a window's winner.
    const x = separatedTensor(c.x, 2);
    const dy = randomTensor(c.outShape, 3);
    const dx = ops.maxPool2dBackward(dy, x, options);
    expect(dx.shape).toEqual(x.shape);
    expectGradient({
      loss: () => dotLoss(ops.maxPool2d(x, options), dy),
      values: x.data,
      analytic: dx.data,
      epsilon: 0.01,
    });
  });

  it('avgPool2dBackward matches central differences', () => {
    const x = randomTensor(c.x, 4);
    const dy = randomTensor(c.outShape, 5);
    const dx = ops.avgPool2dBackward(dy, x.shape, options);
    expect(dx.shape).toEqual(x.shape);
    expectGradient({
      loss: () => dotLoss(ops.avgPool2d(x, options), dy),
      values: x.data,
      analytic: dx.data,
    });
  });
});

describe('pooling values', () => {
  // 3x3 image, one channel, all negative so a zero from padding would win a max if counted.
  const negative = tensor([-1, -2, -3, -4, -5, -6, -7, -8, -9], [1, 3, 3, 1]);

  it('maxPool2d x=[1,3,3,1] k=2 s=2 p=same: padding (bottom/right) never wins the max', () => {
    const y = ops.maxPool2d(negative, { poolSize: 2, padding: 'same' });
    expect(y.reshape([2, 2]).toArray()).toEqual([
      [-1, -3],
      [-7, -9],
    ]);
  });

  it('avgPool2d x=[1,3,3,1] k=2 s=2 p=same: edge windows average only real pixels', () => {
    const y = ops.avgPool2d(negative, { poolSize: 2, padding: 'same' });
    expect(y.reshape([2, 2]).toArray()).toEqual([
      [(-1 - 2 - 4 - 5) / 4, (-3 - 6) / 2],
      [(-7 - 8) / 2, -9],
    ]);
  });

  it('avgPool2d x=[1,3,3,1] k=3 s=1 p=same: corner windows count 4 pixels, edges 6, centre 9', () => {
    const y = ops.avgPool2d(tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]), {
      poolSize: 3,
      strides: 1,
      padding: 'same',
    });
    expectClose(y.reshape([3, 3]).data, [3, 3.5, 4, 4.5, 5, 5.5, 6, 6.5, 7], { rtol: 1e-6 });
  });

  it('pools each channel separately: maxPool2d x=[1,2,2,2] k=2', () => {
    const x = tensor([1, 8, 2, 7, 3, 6, 4, 5], [1, 2, 2, 2]);
    expect(ops.maxPool2d(x).toArray()).toEqual([[[[4, 8]]]]);
    expect(ops.avgPool2d(x).toArray()).toEqual([[[[2.5, 6.5]]]]);
  });

  it('maxPool2dBackward routes ties to the first pixel in window order, as TensorFlow does', () => {
    const x = tensor([5, 5, 5, 5], [1, 2, 2, 1]);
    const dx = ops.maxPool2dBackward(tensor([1], [1, 1, 1, 1]), x);
    expect(Array.from(dx.data)).toEqual([1, 0, 0, 0]);
  });

  it('maxPool2dBackward adds the gradients of overlapping windows won by one pixel', () => {
    // k=2 s=1 over [[0, 0, 0], [0, 9, 0], [0, 0, 0]]: the centre wins all four windows.
    const x = tensor([0, 0, 0, 0, 9, 0, 0, 0, 0], [1, 3, 3, 1]);
    const dy = tensor([1, 2, 3, 4], [1, 2, 2, 1]);
    const dx = ops.maxPool2dBackward(dy, x, { poolSize: 2, strides: 1 });
    expect(Array.from(dx.data)).toEqual([0, 0, 0, 0, 10, 0, 0, 0, 0]);
  });

  it('the reference namespace pools with the same functions', () => {
    const x = randomTensor([2, 4, 4, 3], 9);
    expect(ops.reference.maxPool2d(x).toArray()).toEqual(ops.maxPool2d(x).toArray());
    expect(
      ops.reference.avgPool2d(x, { poolSize: 3, strides: 1, padding: 'same' }).toArray(),
    ).toEqual(ops.avgPool2d(x, { poolSize: 3, strides: 1, padding: 'same' }).toArray());
  });
});
