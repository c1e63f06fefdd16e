// TerminateOnNaN (Keras's callback) and what fit does without it when a step goes non-finite: the
// report names the epoch, the batch and the first non-finite thing (the inputs, a layer's output,
// or the weights an overflowing update left), the update of that step is skipped, and a callback
// may answer 'skip' to go on.

import { Tensor } from '@convoy/tensor';
import { describe, expect, it } from 'vitest';
import { dense, input, type Sequential, sequential, TerminateOnNaN } from '../src/index.js';

describe('TerminateOnNaN', () => {
  function small(learningRate = 0.01): Sequential {
    const model = sequential(
      [
        input({ shape: [2] }),
        dense({ units: 4, activation: 'relu' }),
        dense({ units: 2, activation: 'softmax' }),
      ],
      { seed: 1 },
    );
    model.compile({
      optimizer: {
        name: 'SGD',
        learning_rate: learningRate,
        momentum: 0,
        nesterov: false,
        decay: 0,
      },
      loss: 'sparse_categorical_crossentropy',
    });
    return model;
  }
  const y4 = new Tensor(new Int32Array([0, 1, 0, 1]), [4], 'int32');

  it('stops at a NaN input naming epoch, batch and the example, weights untouched', async () => {
    const model = small();
    const stop = new TerminateOnNaN();
    const xs = new Tensor(new Float32Array([0, 1, 1, 0, 1, Number.NaN, 0, 0]), [4, 2], 'float32');
    const history = await model.fit(xs, y4, {
      batchSize: 2,
      shuffle: false,
      epochs: 2,
      callbacks: [stop],
    });
    expect(stop.report).toMatchObject({ epoch: 0, batch: 1, kind: 'input' });
    expect(stop.report!.message).toBe(
      'fit: the loss became NaN at epoch 1, batch 2; the first non-finite value is the inputs of the batch (NaN in example 0 of the batch); try a smaller learning rate or check the inputs for NaN',
    );
    expect(history.epoch).toEqual([0]);
    expect(model.optimizer!.iterations).toBe(1);
  });

  it('names the first layer whose output overflowed', async () => {
    const model = small();
    const kernel = model.layers[1]!.weights[0]!.value.data;
    kernel.fill(3e38);
    const stop = new TerminateOnNaN();
    const xs = new Tensor(new Float32Array([1, 1, 1, 1, 1, 1, 1, 1]), [4, 2], 'float32');
    await model.fit(xs, y4, { batchSize: 4, shuffle: false, callbacks: [stop] });
    expect(stop.report).toMatchObject({ kind: 'output', layer: 'dense_1' });
    expect(stop.report!.finding).toContain('the output of layer "dense_1" (Dense)');
  });

  it('names the layer whose weights an overflowing update made non-finite', async () => {
    const model = small(1e38);
    const stop = new TerminateOnNaN();
    const xs = new Tensor(
      new Float32Array([3, 1, 1, 3, 2, 1, 1, 2].map((v) => v * 1000)),
      [4, 2],
      'float32',
    );
    await model.fit(xs, y4, { batchSize: 4, shuffle: false, epochs: 3, callbacks: [stop] });
    expect(stop.report).toMatchObject({ kind: 'weights', epoch: 0, batch: 0 });
    expect(stop.report!.message).toMatch(
      /^fit: the update at epoch 1, batch 1 made the weight (kernel|bias) of layer "dense(_1)?" \(Dense\) \(.*\) non-finite/,
    );
  });

  it('without it, fit throws the same message; a callback answering skip goes on', async () => {
    const xs = new Tensor(new Float32Array([0, 1, 1, 0, 1, Number.NaN, 0, 0]), [4, 2], 'float32');
    await expect(small().fit(xs, y4, { batchSize: 2, shuffle: false })).rejects.toThrow(
      'the first non-finite value is the inputs of the batch',
    );
    const model = small();
    let skipped = 0;
    await model.fit(xs, y4, {
      batchSize: 2,
      shuffle: false,
      epochs: 3,
      callbacks: {
        onNonFinite: () => {
          skipped += 1;
          return 'skip';
        },
      },
    });
    expect(skipped).toBe(3);
    expect(model.optimizer!.iterations).toBe(3);
  });
});
