// Layer-level behaviour on small hand-checked numbers: dropout masks and scaling, batch
// normalization in both modes, dense on rank-3 inputs, flatten order, global average pooling,
// initializers.

import { inlineExecutor } from '@convoy/ops';
import { createRng, Tensor, tensor } from '@convoy/tensor';
import { describe, expect, it } from 'vitest';
import {
  batchNormalization,
  conv2d,
  dense,
  dropout,
  flatten,
  fromArtifacts,
  globalAveragePooling2d,
  input,
  type RunContext,
  sequential,
  toArtifacts,
} from '../src/index.js';

const run = (training: boolean, seed = 1): RunContext => ({
  training,
  executor: inlineExecutor(),
  rng: createRng(seed),
});

describe('dropout', () => {
  it('drops about `rate` of the values in training, scales the rest by 1/(1-rate), passes gradients through the mask', async () => {
    const layer = dropout({ rate: 0.25 });
    layer.build([null, 1000], createRng(0));
    const x = tensor(new Float32Array(1000).fill(2), [1, 1000]);
    const y = await layer.forward(x, run(true));
    const kept = Array.from(y.data).filter((v) => v !== 0);
    expect(kept.every((v) => Math.abs(v - 2 / 0.75) < 1e-6)).toBe(true);
    expect(kept.length).toBeGreaterThan(700);
    expect(kept.length).toBeLessThan(800);
    const { dx } = await layer.backward(tensor(new Float32Array(1000).fill(1), [1, 1000]));
    for (let i = 0; i < 1000; i++) expect(dx!.data[i]).toBeCloseTo(y.data[i]! / 2, 6);
  });

  it('is the identity at inference', async () => {
    const layer = dropout({ rate: 0.5 });
    layer.build([null, 3], createRng(0));
    const x = tensor([[1, 2, 3]]);
    expect(await layer.forward(x, run(false))).toBe(x);
  });
});

describe('batch normalization', () => {
  it('normalizes each channel with batch statistics in training and moves the running ones', async () => {
    const layer = batchNormalization({ momentum: 0.9, epsilon: 1e-3 });
    layer.build([null, 2], createRng(0));
    // Channel 0: 1, 3 (mean 2, variance 1); channel 1: 10, 10 (mean 10, variance 0).
    const y = await layer.forward(
      tensor([
        [1, 10],
        [3, 10],
      ]),
      run(true),
    );
    const s = 1 / Math.sqrt(1 + 1e-3);
    expect(Array.from(y.data)).toEqual([-s, 0, s, 0].map(Math.fround));
    const [, , movingMean, movingVariance] = layer.weights.map((w) => Array.from(w.value.data));
    expect(movingMean![0]).toBeCloseTo(0.2, 6);
    expect(movingMean![1]).toBeCloseTo(1, 6);
    expect(movingVariance![0]).toBeCloseTo(1, 6);
    expect(movingVariance![1]).toBeCloseTo(0.9, 6);
  });

  it('uses the running statistics, gamma and beta at inference', async () => {
    const layer = batchNormalization({ epsilon: 1e-3 });
    layer.build([null, 1], createRng(0));
    const [gamma, beta, mean, variance] = layer.weights.map((w) => w.value.data);
    gamma![0] = 2;
    beta![0] = 0.5;
    mean![0] = 1;
    variance![0] = 4 - 1e-3;
    const y = await layer.forward(tensor([[3], [-1]]), run(false));
    expect(Array.from(y.data)).toEqual([2 * (2 / 2) + 0.5, 2 * (-2 / 2) + 0.5]);
  });
});

describe('dense and flatten', () => {
  it('dense applies to the last axis of a rank-3 input', async () => {
    const model = sequential([input({ shape: [2, 3] }), dense({ units: 1, useBias: false })]);
    expect(model.outputShape).toEqual([null, 2, 1]);
    model.setWeights([tensor([[1], [10], [100]])]);
    const y = await model.predict(
      tensor([
        [
          [1, 2, 3],
          [4, 5, 6],
        ],
      ]),
    );
    expect(y.shape).toEqual([1, 2, 1]);
    expect(Array.from(y.data)).toEqual([321, 654]);
  });

  it('flatten keeps NHWC order (channels fastest), as Keras and TensorFlow.js do', async () => {
    const model = sequential([input({ shape: [2, 2, 2] }), flatten()]);
    const x = new Tensor(
      Float32Array.from({ length: 8 }, (_, i) => i),
      [1, 2, 2, 2],
      'float32',
    );
    expect(Array.from((await model.predict(x)).data)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });
});

describe('global average pooling', () => {
  it("averages each image's channels, [batch, h, w, c] → [batch, c], and spreads dy back evenly", async () => {
    const model = sequential([input({ shape: [2, 2, 2] }), globalAveragePooling2d()]);
    expect(model.outputShape).toEqual([null, 2]);
    expect(model.layers[0]!.className).toBe('GlobalAveragePooling2D');
    const x = tensor([1, 10, 2, 20, 3, 30, 4, 40], [1, 2, 2, 2]);
    expect(Array.from((await model.predict(x)).data)).toEqual([2.5, 25]);
    const layer = model.layers[0]!;
    const context = run(true);
    await layer.forward(x, context);
    const { dx } = await layer.backward(tensor([[4, -8]]), context, { needInputGradient: true });
    expect(Array.from(dx!.data)).toEqual([1, -2, 1, -2, 1, -2, 1, -2]);
  });

  it('saves as Keras GlobalAveragePooling2D and loads back; keepdims: true is refused by name', () => {
    const model = sequential([
      input({ shape: [3, 3, 2] }),
      globalAveragePooling2d({ name: 'gap' }),
    ]);
    const artifacts = toArtifacts(model);
    const config = (artifacts.modelJson.modelTopology as { config: { layers: unknown[] } }).config
      .layers[1] as { class_name: string; config: Record<string, unknown> };
    expect(config.class_name).toBe('GlobalAveragePooling2D');
    expect(fromArtifacts(artifacts).layers[0]!.name).toBe('gap');
    config.config.keepdims = true;
    expect(() => fromArtifacts(artifacts)).toThrow(/"gap" keeps its pooled axes/);
  });

  it('refuses an input that is not an image batch', () => {
    expect(() => sequential([input({ shape: [4, 3] }), globalAveragePooling2d()])).toThrow(
      'Input 0 of layer "global_average_pooling2d" is incompatible with the layer: expected ndim=4, found ndim=3',
    );
  });
});

describe('initializers', () => {
  it('glorot-uniform kernels within ±sqrt(6 / (fanIn + fanOut)), zero biases, seeded', () => {
    const make = (seed: number) =>
      sequential([input({ shape: [5, 5, 3] }), conv2d({ filters: 8, kernelSize: 3 })], { seed });
    const [kernel, bias] = make(1).getWeights();
    const limit = Math.sqrt(6 / (3 * 3 * 3 + 3 * 3 * 8));
    const values = Array.from(kernel!.data);
    expect(Math.max(...values.map(Math.abs))).toBeLessThanOrEqual(limit);
    // Uniform on [-limit, limit]: the spread uses most of the range.
    expect(Math.max(...values)).toBeGreaterThan(limit * 0.9);
    expect(Math.min(...values)).toBeLessThan(-limit * 0.9);
    expect(Array.from(bias!.data)).toEqual(new Array(8).fill(0));
    expect(Array.from(make(1).getWeights()[0]!.data)).toEqual(values);
    expect(Array.from(make(2).getWeights()[0]!.data)).not.toEqual(values);
  });
});
