// save(dir) / loadModel(dir): the TensorFlow.js LayersModel files, written atomically, read back
// to the same predictions; optimizer state for resuming; the in-memory form.

import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  batchNormalization,
  conv2d,
  dense,
  flatten,
  input,
  loadModel,
  type ModelJson,
  maxPooling2d,
  sequential,
  textbookModel,
} from '../src/index.js';
import { toyImages } from './helpers/toy.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'convoy-layers-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function toyModel(seed: number) {
  const model = sequential(
    [
      input({ shape: [8, 8, 1] }),
      conv2d({ filters: 3, kernelSize: 3, activation: 'relu', padding: 'same' }),
      batchNormalization(),
      maxPooling2d(),
      flatten(),
      dense({ units: 3, activation: 'softmax' }),
    ],
    { seed },
  );
  model.compile({
    optimizer: 'adam',
    loss: 'sparse_categorical_crossentropy',
    metrics: ['accuracy'],
  });
  return model;
}

describe('save and loadModel', () => {
  it('writes model.json (Keras topology, weights manifest) and a little-endian float32 shard', async () => {
    const model = textbookModel(3, { seed: 1 });
    const target = join(dir, 'textbook3');
    await model.save(target);
    expect((await readdir(target)).sort()).toEqual(['group1-shard1of1.bin', 'model.json']);
    const json = JSON.parse(await readFile(join(target, 'model.json'), 'utf8')) as ModelJson;
    expect(json.format).toBe('layers-model');
    expect(json.modelTopology.class_name).toBe('Sequential');
    expect(json.modelTopology.backend).toBe('tensorflow');
    expect(json.modelTopology.config.layers.map((l) => l.class_name)).toEqual([
      'InputLayer',
      'Conv2D',
      'MaxPooling2D',
      'Flatten',
      'Dense',
    ]);
    expect(json.modelTopology.config.layers[0]!.config.batch_input_shape).toEqual([
      null,
      28,
      28,
      1,
    ]);
    expect(json.modelTopology.config.layers[1]!.config).toMatchObject({
      name: 'conv2d',
      filters: 2,
      kernel_size: [3, 3],
      strides: [1, 1],
      padding: 'same',
      activation: 'relu',
      use_bias: true,
      kernel_initializer: { class_name: 'GlorotUniform', config: { seed: null } },
    });
    expect(json.weightsManifest).toEqual([
      {
        paths: ['group1-shard1of1.bin'],
        weights: [
          { name: 'conv2d/kernel', shape: [3, 3, 1, 2], dtype: 'float32' },
          { name: 'conv2d/bias', shape: [2], dtype: 'float32' },
          { name: 'dense/kernel', shape: [392, 10], dtype: 'float32' },
          { name: 'dense/bias', shape: [10], dtype: 'float32' },
        ],
      },
    ]);
    expect(json.trainingConfig?.loss).toBe('sparse_categorical_crossentropy');
    const bytes = await readFile(join(target, 'group1-shard1of1.bin'));
    expect(bytes.byteLength).toBe(3950 * 4);
    const kernel = model.getWeights()[0]!.data;
    for (let i = 0; i < kernel.length; i++) expect(bytes.readFloatLE(i * 4)).toBe(kernel[i]);
  });

  it('round-trips: the loaded model predicts the same numbers, has the same summary and can train', async () => {
    const { x, y } = toyImages(24, 3);
    const model = toyModel(4);
    await model.fit(x, y, { epochs: 2, batchSize: 8 });
    const target = join(dir, 'toy');
    await model.save(target);
    const loaded = await loadModel(target);
    const quiet = { printFn: () => {} };
    expect(loaded.summary(quiet)).toBe(model.summary(quiet));
    const expected = await model.predict(x);
    const actual = await loaded.predict(x);
    expect(Array.from(actual.data)).toEqual(Array.from(expected.data));
    expect(loaded.loss).toBe('sparse_categorical_crossentropy');
    expect(loaded.optimizer?.getConfig()).toEqual(model.optimizer?.getConfig());
    expect(loaded.metrics).toEqual(['accuracy']);
    const history = await loaded.fit(x, y, { epochs: 1, batchSize: 8 });
    expect(history.history.loss![0]).toBeGreaterThan(0);
  });

  it('with includeOptimizer, a resumed run ends where an uninterrupted one does', async () => {
    const { x, y } = toyImages(32, 5);
    const straight = toyModel(6);
    await straight.fit(x, y, { epochs: 2, batchSize: 8, shuffle: false });

    const first = toyModel(6);
    await first.fit(x, y, { epochs: 1, batchSize: 8, shuffle: false });
    const target = join(dir, 'checkpoint');
    await first.save(target, { includeOptimizer: true });
    expect((await readdir(target)).sort()).toEqual([
      'group1-shard1of1.bin',
      'model.json',
      'optimizer.bin',
      'optimizer.json',
    ]);
    const resumed = await loadModel(target);
    expect(resumed.optimizer!.iterations).toBe(4);
    const rest = await resumed.fit(x, y, {
      epochs: 2,
      initialEpoch: 1,
      batchSize: 8,
      shuffle: false,
    });
    expect(rest.epoch).toEqual([1]);

    const a = straight.getWeights();
    const b = resumed.getWeights();
    for (const [i, t] of a.entries()) expect(Array.from(b[i]!.data)).toEqual(Array.from(t.data));

    // Without the optimizer state Adam restarts its moments, so the weights differ.
    const fresh = await loadModel(target, { includeOptimizer: false });
    await fresh.fit(x, y, { epochs: 1, batchSize: 8, shuffle: false });
    const c = fresh.getWeights()[0]!.data;
    expect(c.some((v, i) => v !== a[0]!.data[i])).toBe(true);
  });

  it('saves atomically: no temporary files remain, and an overwrite replaces every file', async () => {
    const target = join(dir, 'overwrite');
    const one = textbookModel(3, { seed: 1 });
    const two = textbookModel(3, { seed: 2 });
    await one.save(target);
    await two.save(target);
    expect((await readdir(target)).sort()).toEqual(['group1-shard1of1.bin', 'model.json']);
    const loaded = await loadModel(target);
    expect(Array.from(loaded.getWeights()[0]!.data)).toEqual(Array.from(two.getWeights()[0]!.data));
  });

  it('a failed save cleans up its temporary files', async () => {
    const target = join(dir, 'blocked');
    // A directory where model.json should go makes the final rename fail.
    await mkdir(join(target, 'model.json'), { recursive: true });
    await expect(textbookModel(3).save(target)).rejects.toThrow();
    expect((await readdir(target)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('loads the in-memory form { modelJson, weights } (for browsers)', async () => {
    const model = toyModel(8);
    const { x } = toyImages(5, 1);
    const artifacts = model.toArtifacts();
    const copy = JSON.parse(JSON.stringify(artifacts.modelJson)) as ModelJson;
    const loaded = await loadModel({ modelJson: copy, weights: artifacts.weights.slice().buffer });
    expect(Array.from((await loaded.predict(x)).data)).toEqual(
      Array.from((await model.predict(x)).data),
    );
  });

  it('rejects broken files with what was wrong', async () => {
    const target = join(dir, 'broken');
    await textbookModel(3).save(target);
    await writeFile(join(target, 'group1-shard1of1.bin'), new Uint8Array(100));
    await expect(loadModel(target)).rejects.toThrow(
      `loadModel: ${join(target, 'model.json')}: the weights hold 100 bytes, but the manifest describes 15800`,
    );
    await rm(join(target, 'group1-shard1of1.bin'));
    await expect(loadModel(target)).rejects.toThrow(
      `loadModel: ${join(target, 'model.json')}: its weights file group1-shard1of1.bin is missing`,
    );
    await expect(loadModel(join(dir, 'missing'))).rejects.toThrow(
      `loadModel: ${join(dir, 'missing', 'model.json')}: cannot read it as JSON`,
    );
    const { modelJson, weights } = textbookModel(3).toArtifacts();
    const renamed = JSON.parse(JSON.stringify(modelJson)) as ModelJson;
    renamed.weightsManifest[0]!.weights[0]!.name = 'conv2d/kernel_0';
    await expect(loadModel({ modelJson: renamed, weights })).rejects.toThrow(
      'loadModel: the weights manifest has no entry conv2d/kernel',
    );
    const unknown = JSON.parse(JSON.stringify(modelJson)) as ModelJson;
    unknown.modelTopology.config.layers[1]!.class_name = 'LSTM';
    await expect(loadModel({ modelJson: unknown, weights })).rejects.toThrow(
      'loadModel: unknown layer class LSTM',
    );
  });
});
