// The saved files are a real TensorFlow.js LayersModel: @tensorflow/tfjs (cpu backend) loads
// model.json's topology and the .bin weights and predicts what Convoy predicts, within 1e-5.

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tensor } from '@convoy/tensor';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  avgPooling2d,
  batchNormalization,
  conv2d,
  dense,
  dropout,
  flatten,
  globalAveragePooling2d,
  input,
  loadModel,
  type ModelJson,
  maxPooling2d,
  type Sequential,
  sequential,
  textbookModel,
} from '../src/index.js';
import { toyImages } from './helpers/toy.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'convoy-tfjs-'));
  await tf.setBackend('cpu');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Saves the model, loads the files with tfjs, and returns the largest prediction difference. */
async function tfjsDifference(
  model: Sequential,
  x: ReturnType<typeof toyImages>['x'],
  name: string,
) {
  const target = join(dir, name);
  await model.save(target);
  const modelJson = JSON.parse(await readFile(join(target, 'model.json'), 'utf8')) as ModelJson;
  const bin = await readFile(join(target, modelJson.weightsManifest[0]!.paths[0]!));
  const tfModel = await tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: modelJson.modelTopology as unknown as tf.io.ModelArtifacts['modelTopology'],
      weightSpecs: modelJson.weightsManifest[0]!.weights as tf.io.WeightsManifestEntry[],
      weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength),
    }),
  );
  const theirs = tf.tidy(() =>
    (tfModel.predict(tf.tensor(x.data, [...x.shape])) as tf.Tensor).dataSync(),
  );
  const ours = await model.predict(x);
  expect(theirs.length).toBe(ours.size);
  let worst = 0;
  for (let i = 0; i < ours.size; i++) worst = Math.max(worst, Math.abs(ours.data[i]! - theirs[i]!));
  return { worst, tfModel };
}

describe('TensorFlow.js loads what save() writes', () => {
  it('textbook model 3, trained a little: same predictions within 1e-5', async () => {
    const model = textbookModel(3, { seed: 5 });
    const images = new Float32Array(16 * 28 * 28).map((_, i) => ((i * 7919) % 256) / 255);
    const labels = new Int32Array(16).map((_, i) => i % 10);
    const x = new Tensor(images, [16, 28, 28, 1], 'float32');
    await model.fit(x, new Tensor(labels, [16], 'int32'), { epochs: 1, batchSize: 8 });
    const { worst, tfModel } = await tfjsDifference(model, x, 'textbook3');
    expect(worst).toBeLessThan(1e-5);
    expect(tfModel.layers.map((l) => l.name)).toEqual([
      'input_1',
      'conv2d',
      'max_pooling2d',
      'flatten',
      'dense',
    ]);
    expect(tfModel.countParams()).toBe(3950);
  });

  it('every layer kind (batch norm statistics, average pooling with same padding, dropout)', async () => {
    const model = sequential(
      [
        input({ shape: [8, 8, 1] }),
        conv2d({ filters: 4, kernelSize: 3, strides: 1, activation: 'relu', padding: 'same' }),
        batchNormalization(),
        maxPooling2d({ poolSize: 2 }),
        avgPooling2d({ poolSize: 2, strides: 1, padding: 'same' }),
        conv2d({ filters: 2, kernelSize: 2, activation: 'sigmoid', padding: 'valid' }),
        flatten(),
        dense({ units: 6, activation: 'tanh' }),
        dropout({ rate: 0.3 }),
        dense({ units: 3, activation: 'softmax' }),
      ],
      { seed: 3 },
    );
    model.compile({
      optimizer: 'adam',
      loss: 'sparse_categorical_crossentropy',
      metrics: ['accuracy'],
    });
    const { x, y } = toyImages(32, 1);
    await model.fit(x, y, { epochs: 2, batchSize: 8 });
    // Training moved the running statistics away from their initial 0 and 1.
    const movingMean = model.layers[1]!.weights[2]!.value.data;
    expect(movingMean.some((v) => Math.abs(v) > 1e-3)).toBe(true);
    const { worst } = await tfjsDifference(model, x, 'every-layer');
    expect(worst).toBeLessThan(1e-5);
  });

  it('global average pooling in place of flatten: same predictions within 1e-5', async () => {
    const model = sequential(
      [
        input({ shape: [8, 8, 1] }),
        conv2d({ filters: 6, kernelSize: 3, activation: 'relu', padding: 'same' }),
        globalAveragePooling2d(),
        dense({ units: 3, activation: 'softmax' }),
      ],
      { seed: 4 },
    );
    model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy' });
    const { x, y } = toyImages(16, 3);
    await model.fit(x, y, { epochs: 1, batchSize: 8 });
    const { worst, tfModel } = await tfjsDifference(model, x, 'global-pooling');
    expect(worst).toBeLessThan(1e-5);
    expect(tfModel.layers[2]!.getClassName()).toBe('GlobalAveragePooling2D');
  });

  it('and the other way: a model built and saved by TensorFlow.js loads here with the same predictions', async () => {
    const tfModel = tf.sequential({
      layers: [
        tf.layers.conv2d({
          inputShape: [8, 8, 1],
          filters: 3,
          kernelSize: 3,
          padding: 'same',
          activation: 'relu',
        }),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 3, activation: 'softmax' }),
      ],
    });
    tfModel.compile({
      optimizer: 'sgd',
      loss: 'sparseCategoricalCrossentropy',
      metrics: ['accuracy'],
    });
    let saved: tf.io.ModelArtifacts | undefined;
    await tfModel.save(
      tf.io.withSaveHandler(async (artifacts) => {
        saved = artifacts;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
      { includeOptimizer: true },
    );
    const weightData = saved!.weightData as ArrayBuffer;
    const model = await loadModel({
      modelJson: {
        format: 'layers-model',
        generatedBy: 'tfjs',
        convertedBy: null,
        modelTopology: saved!.modelTopology as ModelJson['modelTopology'],
        trainingConfig: saved!.trainingConfig as ModelJson['trainingConfig'],
        weightsManifest: [
          { paths: [], weights: saved!.weightSpecs as ModelJson['weightsManifest'][0]['weights'] },
        ],
      },
      weights: weightData,
    });
    // Its training config compiles the loaded model.
    expect(model.loss).toBe('sparse_categorical_crossentropy');
    expect(model.optimizer?.name).toBe('SGD');
    expect(model.layers.map((l) => l.className)).toEqual([
      'Conv2D',
      'MaxPooling2D',
      'Flatten',
      'Dense',
    ]);
    const { x } = toyImages(6, 2);
    const theirs = tf.tidy(() =>
      (tfModel.predict(tf.tensor(x.data, [...x.shape])) as tf.Tensor).dataSync(),
    );
    const ours = await model.predict(x);
    let worst = 0;
    for (let i = 0; i < ours.size; i++)
      worst = Math.max(worst, Math.abs(ours.data[i]! - theirs[i]!));
    expect(worst).toBeLessThan(1e-5);
  });
});
