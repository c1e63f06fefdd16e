// Whole-network gradient checks: the gradients that the layers' backward passes produce, compared
// with central differences of the loss, for every trainable parameter of small networks that use
// every layer kind with a backward.

import { inlineExecutor } from '@convoy/ops';
import { createRng, randomUniform, Tensor } from '@convoy/tensor';
import { describe, expect, it } from 'vitest';
import {
  avgPooling2d,
  batchNormalization,
  computeGradients,
  conv2d,
  dense,
  flatten,
  globalAveragePooling2d,
  input,
  maxPooling2d,
  type RunContext,
  type Sequential,
  sequential,
} from '../src/index.js';

const context: RunContext = { training: true, executor: inlineExecutor(), rng: createRng(1) };

/** Max over parameters of |analytic - numeric| / max(1e-2, |analytic|, |numeric|). */
async function worstRelativeError(
  model: Sequential,
  x: Tensor<'float32'>,
  y: Tensor,
): Promise<number> {
  const { grads } = await computeGradients(model, x, y, context);
  const step = 1e-3;
  let worst = 0;
  for (const [w, weight] of model.trainableWeights.entries()) {
    const data = weight.value.data;
    for (let i = 0; i < data.length; i++) {
      const original = data[i]!;
      data[i] = original + step;
      const plus = (await computeGradients(model, x, y, context)).loss;
      data[i] = original - step;
      const minus = (await computeGradients(model, x, y, context)).loss;
      data[i] = original;
      const numeric = (plus - minus) / (2 * step);
      const analytic = grads[w]!.data[i]!;
      const scale = Math.max(1e-2, Math.abs(analytic), Math.abs(numeric));
      worst = Math.max(worst, Math.abs(analytic - numeric) / scale);
    }
  }
  return worst;
}

describe('gradient check of whole networks (central differences)', () => {
  it('conv2d(tanh, same, stride 1) → avg pool → batch norm → flatten → dense(sigmoid) → dense(softmax), sparse CE', async () => {
    const model = sequential(
      [
        input({ shape: [6, 6, 2] }),
        conv2d({ filters: 3, kernelSize: 3, padding: 'same', activation: 'tanh' }),
        avgPooling2d({ poolSize: 2 }),
        batchNormalization(),
        flatten(),
        dense({ units: 5, activation: 'sigmoid' }),
        dense({ units: 4, activation: 'softmax' }),
      ],
      { seed: 7 },
    );
    model.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy' });
    const x = randomUniform([3, 6, 6, 2], { min: -1, max: 1, seed: 11 });
    const y = new Tensor(new Int32Array([0, 3, 1]), [3], 'int32');
    expect(await worstRelativeError(model, x, y)).toBeLessThan(1e-2);
  });

  it('conv2d(valid, stride 2, linear) → max pool → flatten → dense(tanh) → dense(linear), mean squared error', async () => {
    const model = sequential(
      [
        input({ shape: [7, 7, 1] }),
        conv2d({ filters: 2, kernelSize: 3, strides: 2, padding: 'valid' }),
        maxPooling2d({ poolSize: 2, strides: 1 }),
        flatten(),
        dense({ units: 3, activation: 'tanh' }),
        dense({ units: 2 }),
      ],
      { seed: 5 },
    );
    model.compile({ optimizer: 'sgd', loss: 'mean_squared_error' });
    const x = randomUniform([2, 7, 7, 1], { min: -1, max: 1, seed: 3 });
    const y = randomUniform([2, 2], { min: -1, max: 1, seed: 4 });
    expect(await worstRelativeError(model, x, y)).toBeLessThan(1e-2);
  });

  it('conv2d(tanh, same) → global average pool → dense(softmax), sparse CE', async () => {
    const model = sequential(
      [
        input({ shape: [5, 6, 2] }),
        conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'tanh' }),
        globalAveragePooling2d(),
        dense({ units: 3, activation: 'softmax' }),
      ],
      { seed: 9 },
    );
    model.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy' });
    const x = randomUniform([3, 5, 6, 2], { min: -1, max: 1, seed: 12 });
    const y = new Tensor(new Int32Array([2, 0, 1]), [3], 'int32');
    expect(await worstRelativeError(model, x, y)).toBeLessThan(1e-2);
  });

  it('a softmax output without the fused path (categorical CE on one-hot targets) agrees too', async () => {
    const model = sequential(
      [
        input({ shape: [4] }),
        dense({ units: 3, activation: 'relu' }),
        dense({ units: 3, activation: 'softmax' }),
      ],
      { seed: 2 },
    );
    model.compile({ optimizer: 'sgd', loss: 'categorical_crossentropy' });
    const x = randomUniform([4, 4], { min: -1, max: 1, seed: 9 });
    const y = new Tensor(new Float32Array([1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0]), [4, 3], 'float32');
    expect(await worstRelativeError(model, x, y)).toBeLessThan(1e-2);
  });

  it('the fused softmax gradient equals the chained one through the softmax Jacobian', async () => {
    // The bias gradient of a single softmax layer is the sum over rows of dL/dz; the fused path
    // computes it as (p - onehot) / n, here it is rebuilt from dL/dp and the softmax Jacobian.
    const layers = () => [input({ shape: [5] }), dense({ units: 4, activation: 'softmax' })];
    const fusedModel = sequential(layers(), { seed: 4 });
    fusedModel.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy' });
    const x = randomUniform([3, 5], { min: -2, max: 2, seed: 8 });
    const labels = new Tensor(new Int32Array([2, 0, 3]), [3], 'int32');
    const fused = await computeGradients(fusedModel, x, labels, context);
    // Chain rule by hand: dL/dz = J_softmax^T dL/dp with dL/dp = -1/(n p_label) at the label.
    const p = fused.output.data;
    const dz = new Float64Array(12);
    for (let i = 0; i < 3; i++) {
      const label = labels.data[i]!;
      for (let j = 0; j < 4; j++) {
        const dp = -1 / (3 * p[i * 4 + label]!);
        dz[i * 4 + j] = p[i * 4 + label]! * ((label === j ? 1 : 0) - p[i * 4 + j]!) * dp;
      }
    }
    const biasGrad = fused.grads[1]!.data;
    for (let j = 0; j < 4; j++) {
      const expected = dz[j]! + dz[4 + j]! + dz[8 + j]!;
      expect(biasGrad[j]!).toBeCloseTo(expected, 5);
    }
  });
});
