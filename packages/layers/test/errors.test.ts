// Bad input is rejected the way Keras rejects it: shape mismatches name the layer and the shapes.

import { Tensor, zeros } from '@convoy/tensor';
import { describe, expect, it } from 'vitest';
import {
  conv2d,
  dense,
  flatten,
  input,
  maxPooling2d,
  sequential,
  textbookModel,
} from '../src/index.js';

describe('shape mismatches', () => {
  it('a model given inputs of the wrong shape names itself and both shapes', async () => {
    const model = textbookModel(3);
    await expect(model.predict(zeros([2, 28, 28]))).rejects.toThrow(
      'Input 0 of layer "sequential" is incompatible with the layer: expected shape=(None, 28, 28, 1), found shape=(2, 28, 28)',
    );
    await expect(model.predict(zeros([2, 32, 32, 1]))).rejects.toThrow(
      'expected shape=(None, 28, 28, 1), found shape=(2, 32, 32, 1)',
    );
  });

  it('a convolution after a flatten names the convolution and the shape it got', () => {
    expect(() =>
      sequential([input({ shape: [28, 28, 1] }), flatten(), conv2d({ filters: 2, kernelSize: 3 })]),
    ).toThrow(
      'Input 0 of layer "conv2d" is incompatible with the layer: expected min_ndim=4, found ndim=2. Full shape received: (None, 784)',
    );
  });

  it('a layer that does not fit is not added, so the model stays usable', () => {
    const model = sequential([input({ shape: [28, 28, 1] }), flatten()]);
    expect(() => model.add(conv2d({ filters: 2, kernelSize: 3 }))).toThrow('layer "conv2d"');
    expect(model.layers.map((l) => l.name)).toEqual(['flatten']);
    model.add(dense({ units: 3 }));
    expect(model.outputShape).toEqual([null, 3]);
  });

  it('pooling needs rank 4', () => {
    expect(() => sequential([input({ shape: [10] }), maxPooling2d()])).toThrow(
      'Input 0 of layer "max_pooling2d" is incompatible with the layer: expected ndim=4, found ndim=2. Full shape received: (None, 10)',
    );
  });

  it('a built dense layer reused on a different width names both sizes', () => {
    const shared = dense({ units: 4, inputShape: [8] });
    sequential([shared]);
    expect(() => sequential([input({ shape: [6] }), shared])).toThrow(
      'Input 0 of layer "dense" is incompatible with the layer: expected axis -1 of input shape to have value 8, but received input with shape (None, 6)',
    );
  });

  it('a kernel larger than a valid-padded input says which layer and sizes', () => {
    expect(() =>
      sequential([
        input({ shape: [2, 2, 1] }),
        conv2d({ filters: 1, kernelSize: 3, name: 'edges' }),
      ]),
    ).toThrow(`layer "edges": kernel 3x3 with padding 'valid' does not fit an input of 2x2`);
  });

  it('setWeights with a wrong shape names the layer, the weight and both shapes', () => {
    const model = textbookModel(3);
    const weights = model.getWeights();
    weights[2] = zeros([784, 10]);
    expect(() => model.setWeights(weights)).toThrow(
      'Layer "dense" weight "kernel" has shape [392, 10], which is not compatible with the provided weight shape [784, 10]',
    );
  });
});

describe('bad arguments', () => {
  it('layer options are checked when the layer is made', () => {
    expect(() => dense({ units: 0 })).toThrow('dense: units must be a positive integer, got 0');
    expect(() => conv2d({ filters: 2, kernelSize: 3, padding: 'full' as 'same' })).toThrow(
      "conv2d: padding must be 'same' or 'valid', got full",
    );
    expect(() => dense({ units: 2, activation: 'gelu' as 'relu' })).toThrow(
      'dense: activation must be one of relu, softmax, sigmoid, tanh, linear, got gelu',
    );
    expect(() => input({ shape: [] })).toThrow('input: shape must be a non-empty array');
  });

  it('fit needs compile, matching rows, and labels in range', async () => {
    const model = sequential([input({ shape: [3] }), dense({ units: 2, activation: 'softmax' })]);
    const x = zeros([4, 3]);
    const y = new Tensor(new Int32Array([0, 1, 0, 1]), [4], 'int32');
    await expect(model.fit(x, y)).rejects.toThrow(
      'fit: you must compile the model before using it',
    );
    model.compile({
      optimizer: 'sgd',
      loss: 'sparse_categorical_crossentropy',
      metrics: ['accuracy'],
    });
    await expect(model.fit(x, new Tensor(new Int32Array([0, 1]), [2], 'int32'))).rejects.toThrow(
      'fit: x and y must hold the same number of examples (axis 0), got x [4, 3] and y [2]',
    );
    await expect(
      model.fit(x, new Tensor(new Int32Array([0, 1, 2, 0]), [4], 'int32')),
    ).rejects.toThrow('fit: labels must be integers in [0, 2) for 2 classes, got 2 at index 2');
    await expect(model.fit(x, y, { batchSize: 0 })).rejects.toThrow(
      'fit: batchSize must be a positive integer, got 0',
    );
  });

  it('a NaN loss stops fit with an error saying where (and the pool it started is closed)', async () => {
    const model = sequential([input({ shape: [2] }), dense({ units: 2, activation: 'softmax' })]);
    model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy' });
    const x = new Tensor(new Float32Array([0, 1, 1, 0, Number.NaN, 1, 0, 0]), [4, 2], 'float32');
    const y = new Tensor(new Int32Array([0, 1, 0, 1]), [4], 'int32');
    await expect(model.fit(x, y, { batchSize: 2, shuffle: false, workers: 2 })).rejects.toThrow(
      'fit: the loss became NaN at epoch 1, batch 2',
    );
    // The first batch trained; the bad one did not touch the weights.
    expect(model.optimizer!.iterations).toBe(1);
    expect(model.getWeights().every((w) => w.data.every(Number.isFinite))).toBe(true);
  });

  it('compile rejects unknown losses and metrics', () => {
    const model = sequential([input({ shape: [3] }), dense({ units: 2 })]);
    expect(() => model.compile({ optimizer: 'adam', loss: 'hinge' as 'mse' })).toThrow(
      'compile: loss must be one of sparse_categorical_crossentropy, categorical_crossentropy, mean_squared_error, got hinge',
    );
    expect(() => model.compile({ optimizer: 'adam', loss: 'mse', metrics: ['accuracy'] })).toThrow(
      'compile: the accuracy metric needs a cross-entropy loss, got mean_squared_error',
    );
  });

  it('layer names must be unique within a model', () => {
    expect(() =>
      sequential([
        input({ shape: [3] }),
        dense({ units: 2, name: 'a' }),
        dense({ units: 2, name: 'a' }),
      ]),
    ).toThrow(
      'All layers added to a Sequential model should have unique names. Name "a" is already',
    );
  });
});
