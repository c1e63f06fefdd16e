// softmax, logSoftmax and sparse softmax cross-entropy: values against direct formulas, stability
// at logits of ±1e4, and central-difference checks of every gradient.

import { Tensor, tensor } from '@convoy/tensor';
import { describe, expect, it } from 'vitest';
import * as ops from '../src/index.js';
import { expectClose } from './helpers/close.js';
import { dotLoss, expectGradient } from './helpers/gradient.js';
import { randomTensor } from './helpers/random.js';

const huge = tensor([
  [1e4, -1e4, 0],
  [-1e4, -1e4, -1e4],
  [1e4, 1e4, -1e4],
]);

describe('softmax and logSoftmax', () => {
  it('softmax over the last axis matches exp(x) / sum(exp(x)): logits=[2,3]', () => {
    const logits = tensor([
      [1, 2, 3],
      [0, 0, Math.log(2)],
    ]);
    const e = [Math.E, Math.E ** 2, Math.E ** 3];
    const s = e[0]! + e[1]! + e[2]!;
    expectClose(ops.softmax(logits).data, [e[0]! / s, e[1]! / s, e[2]! / s, 0.25, 0.25, 0.5], {
      rtol: 1e-6,
    });
    expectClose(
      ops.logSoftmax(logits).data,
      [1, 2, 3].map((v) => v - Math.log(s)).concat([0.25, 0.25, 0.5].map(Math.log)),
      { rtol: 1e-6, atol: 1e-6 },
    );
  });

  it('stays finite and exact at logits of ±1e4', () => {
    const p = ops.softmax(huge);
    expect(Array.from(p.data).every(Number.isFinite)).toBe(true);
    expectClose(p.data, [1, 0, 0, 1 / 3, 1 / 3, 1 / 3, 0.5, 0.5, 0], { atol: 1e-7 });
    const logP = ops.logSoftmax(huge);
    expect(Array.from(logP.data).every(Number.isFinite)).toBe(true);
    expectClose(
      logP.data,
      [
        0,
        -2e4,
        -1e4,
        -Math.log(3),
        -Math.log(3),
        -Math.log(3),
        -Math.log(2),
        -Math.log(2),
        -2e4 - Math.log(2),
      ],
      {
        rtol: 1e-6,
        atol: 1e-6,
      },
    );
  });

  it('works on any rank, over the last axis: logits=[2,3,4]', () => {
    const logits = randomTensor([2, 3, 4], 1, { min: -5, max: 5 });
    const p = ops.softmax(logits);
    for (let row = 0; row < 6; row++) {
      let sum = 0;
      for (let j = 0; j < 4; j++) sum += p.data[row * 4 + j]!;
      expect(sum).toBeCloseTo(1, 6);
    }
  });

  it.each([
    { name: 'softmaxBackward', forward: ops.softmax, backward: ops.softmaxBackward },
    { name: 'logSoftmaxBackward', forward: ops.logSoftmax, backward: ops.logSoftmaxBackward },
  ])(
    '$name (given the output) matches central differences: logits=[3,5]',
    ({ forward, backward }) => {
      const logits = randomTensor([3, 5], 2, { min: -3, max: 3 });
      const dy = randomTensor([3, 5], 3);
      const dx = backward(dy, forward(logits));
      // Smooth, step 1e-2: rounding of the 5 outputs of a row ≤ 5·2·2.4e-7/2e-2 ≈ 1.2e-4.
      expectGradient({
        loss: () => dotLoss(forward(logits), dy),
        values: logits.data,
        analytic: dx.data,
        epsilon: 1e-2,
        atol: 5e-4,
        rtol: 1e-3,
      });
    },
  );

  it('rejects a scalar or an empty last axis', () => {
    expect(() => ops.softmax(tensor(3, []))).toThrow(
      'softmax: input needs a non-empty last axis, got shape []',
    );
    expect(() => ops.logSoftmax(tensor(new Float32Array(0), [2, 0]))).toThrow(
      /logSoftmax: .*\[2, 0\]/,
    );
  });
});

describe('sparseSoftmaxCrossEntropy', () => {
  it('gives the mean of -log softmax[label] and (softmax - onehot) / n: logits=[2,3]', () => {
    const logits = tensor([
      [1, 2, 3],
      [0, 0, Math.log(2)],
    ]);
    const labels = tensor([2, 0], [2], 'int32');
    const { loss, dLogits } = ops.sparseSoftmaxCrossEntropy(logits, labels);
    const s = Math.E + Math.E ** 2 + Math.E ** 3;
    const expectedLoss = (-(3 - Math.log(s)) - Math.log(0.25)) / 2;
    expect(loss).toBeCloseTo(expectedLoss, 6);
    const p = ops.softmax(logits).data;
    expectClose(
      dLogits.data,
      [p[0]! / 2, p[1]! / 2, (p[2]! - 1) / 2, (0.25 - 1) / 2, 0.25 / 2, 0.5 / 2],
      { rtol: 1e-6, atol: 1e-7 },
    );
  });

  it('gradient matches central differences of the loss: logits=[4,6], uint8 labels', () => {
    const logits = randomTensor([4, 6], 4, { min: -4, max: 4 });
    const labels = tensor([5, 0, 3, 3], [4], 'uint8');
    const { dLogits } = ops.sparseSoftmaxCrossEntropy(logits, labels);
    // The loss is computed in float64 from float32 logits, so a small step is safe: truncation
    // ≈ 1e-6²/6·|f'''| and rounding ≈ 1e-16/1e-3; dLogits itself is rounded to float32 (≤ 3e-8).
    expectGradient({
      loss: () => ops.sparseSoftmaxCrossEntropy(logits, labels).loss,
      values: logits.data,
      analytic: dLogits.data,
      epsilon: 1e-3,
      atol: 1e-5,
      rtol: 1e-4,
    });
  });

  it('stays finite and exact at logits of ±1e4', () => {
    const { loss, dLogits } = ops.sparseSoftmaxCrossEntropy(huge, tensor([1, 2, 0], [3], 'int32'));
    // Row 0: label 1 is 2e4 below the winner: -log p = 2e4. Row 1: uniform: log 3. Row 2: log 2.
    expect(Number.isFinite(loss)).toBe(true);
    expect(loss).toBeCloseTo((2e4 + Math.log(3) + Math.log(2)) / 3, 3);
    expect(Array.from(dLogits.data).every(Number.isFinite)).toBe(true);
    expectClose(
      dLogits.data,
      [1 / 3, -1 / 3, 0, 1 / 9, 1 / 9, (1 / 3 - 1) / 3, (0.5 - 1) / 3, 0.5 / 3, 0],
      { atol: 1e-7 },
    );
  });

  it('sparseSoftmaxCrossEntropyBackward scales the gradient by the upstream dLoss', () => {
    const logits = randomTensor([3, 4], 5);
    const labels = tensor([0, 1, 3], [3], 'int32');
    const { dLogits } = ops.sparseSoftmaxCrossEntropy(logits, labels);
    const scaled = ops.sparseSoftmaxCrossEntropyBackward(logits, labels, 2.5);
    expectClose(
      scaled.data,
      Array.from(dLogits.data, (v) => v * 2.5),
      { rtol: 1e-6 },
    );
  });

  it('with batchSize, rows of a batch get exactly the loss share and gradient they have in it', () => {
    const logits = randomTensor([6, 4], 7, { min: -3, max: 3 });
    const labels = tensor([3, 0, 1, 1, 2, 0], [6], 'int32');
    const whole = ops.sparseSoftmaxCrossEntropy(logits, labels);
    const rows = (start: number, end: number) =>
      ops.sparseSoftmaxCrossEntropy(
        new Tensor(logits.data.subarray(start * 4, end * 4), [end - start, 4], 'float32'),
        new Tensor(labels.data.subarray(start, end), [end - start], 'int32'),
        { batchSize: 6 },
      );
    const [first, second] = [rows(0, 4), rows(4, 6)];
    expect(Array.from(first.dLogits.data).concat(Array.from(second.dLogits.data))).toEqual(
      Array.from(whole.dLogits.data),
    );
    expect(first.loss + second.loss).toBeCloseTo(whole.loss, 12);
    expect(() => ops.sparseSoftmaxCrossEntropy(logits, labels, { batchSize: 5 })).toThrow(
      'sparseSoftmaxCrossEntropy: batchSize must be an integer of at least the 6 rows of logits, got 5',
    );
  });

  it('rejects labels out of range, of the wrong length, or not whole numbers', () => {
    const logits = randomTensor([2, 3], 6);
    expect(() => ops.sparseSoftmaxCrossEntropy(logits, tensor([0, 3], [2], 'int32'))).toThrow(
      'sparseSoftmaxCrossEntropy: labels must be integers in [0, 3) for logits [2, 3], got 3 at index 1',
    );
    expect(() => ops.sparseSoftmaxCrossEntropy(logits, tensor([0, 1, 2], [3], 'int32'))).toThrow(
      'sparseSoftmaxCrossEntropy: labels must be rank 1 [batch] with one label per row of logits [2, 3], got shape [3]',
    );
    expect(() => ops.sparseSoftmaxCrossEntropy(logits, tensor([0.5, 1]))).toThrow(
      /got 0.5 at index 0/,
    );
    expect(() =>
      ops.sparseSoftmaxCrossEntropy(randomTensor([6], 1), tensor([0], [1], 'int32')),
    ).toThrow(
      'sparseSoftmaxCrossEntropy: logits must be rank 2 [batch, classes] with at least one class, got shape [6]',
    );
  });
});
