// Bias add and the elementwise activations: values, and central-difference checks of each backward.

import { tensor } from '@convoy/tensor';
import { describe, expect, it } from 'vitest';
import * as ops from '../src/index.js';
import { expectClose } from './helpers/close.js';
import { dotLoss, expectGradient } from './helpers/gradient.js';
import { randomTensor, separatedTensor } from './helpers/random.js';

describe('biasAdd', () => {
  it('adds one value per channel: x=[2,2,3] bias=[3]', () => {
    const x = tensor([0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3], [2, 2, 3]);
    const y = ops.biasAdd(x, tensor([10, 20, 30]));
    expect(Array.from(y.data)).toEqual([10, 20, 30, 11, 21, 31, 12, 22, 32, 13, 23, 33]);
  });

  it('biasAddBackward sums dy over every axis but the last and matches central differences: x=[2,3,4,5]', () => {
    const x = randomTensor([2, 3, 4, 5], 1);
    const bias = randomTensor([5], 2);
    const dy = randomTensor([2, 3, 4, 5], 3);
    const dBias = ops.biasAddBackward(dy);
    expect(dBias.shape).toEqual([5]);
    expectGradient({
      loss: () => dotLoss(ops.biasAdd(x, bias), dy),
      values: bias.data,
      analytic: dBias.data,
    });
  });

  it('rejects a bias that does not match the last axis, naming both shapes', () => {
    expect(() => ops.biasAdd(randomTensor([2, 4], 1), randomTensor([3], 2))).toThrow(
      "biasAdd: bias must be rank 1 with one value per element of the input's last axis: input [2, 4], bias [3]",
    );
    expect(() => ops.biasAdd(randomTensor([2, 4], 1), randomTensor([1, 4], 2))).toThrow(/biasAdd/);
  });
});

describe('relu', () => {
  it('zeroes negatives and keeps positives', () => {
    expect(Array.from(ops.relu(tensor([-2, -0.5, 0, 0.5, 2])).data)).toEqual([0, 0, 0, 0.5, 2]);
  });

  it('reluBackward passes dy where x > 0 and matches central differences: x=[3,4,5]', () => {
    const x = separatedTensor([3, 4, 5], 4); // every |x| >= 0.025, step 0.01: no sign change
    const dy = randomTensor([3, 4, 5], 5);
    const dx = ops.reluBackward(dy, x);
    expectGradient({
      loss: () => dotLoss(ops.relu(x), dy),
      values: x.data,
      analytic: dx.data,
      epsilon: 0.01,
    });
  });

  it('rejects dy and x of different shapes', () => {
    expect(() => ops.reluBackward(randomTensor([2, 3], 1), randomTensor([3, 2], 2))).toThrow(
      'reluBackward: dy must have the shape of the input [3, 2], got [2, 3]',
    );
  });
});

describe.each([
  {
    name: 'sigmoid',
    forward: ops.sigmoid,
    backward: ops.sigmoidBackward,
    exact: (v: number) => 1 / (1 + Math.exp(-v)),
  },
  { name: 'tanh', forward: ops.tanh, backward: ops.tanhBackward, exact: Math.tanh },
])('$name', ({ forward, backward, exact }) => {
  it('matches the formula, and stays finite at ±1e4', () => {
    const values = [-1e4, -20, -1, 0, 1, 20, 1e4];
    const y = forward(tensor(values));
    expectClose(y.data, values.map(exact), { rtol: 1e-6, atol: 1e-7 });
    expect(Array.from(y.data).every(Number.isFinite)).toBe(true);
  });

  it('backward (given the output y) matches central differences: x=[2,3,4] in [-3, 3]', () => {
    const x = randomTensor([2, 3, 4], 6, { min: -3, max: 3 });
    const dy = randomTensor([2, 3, 4], 7);
    const dx = backward(dy, forward(x));
    // Smooth op, step 1e-2: truncation about 2e-5·|f'''| and rounding about 3e-6 (see gradient.ts).
    expectGradient({
      loss: () => dotLoss(forward(x), dy),
      values: x.data,
      analytic: dx.data,
      epsilon: 1e-2,
      atol: 2e-4,
      rtol: 1e-3,
    });
  });
});
