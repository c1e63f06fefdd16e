// Fuzz tests of loading a saved model (fixed seed, bounded runs): model.json changed at any place
// in its tree (a value replaced by any JSON, or removed: unknown layers, shapes that do not chain,
// other dtypes, sizes), its text or its weights' bytes mutated, the weights file missing — every
// load either gives a model whose weights fill the file, or fails with loadModel's own error
// naming the file and what is wrong.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  applyJsonEdit,
  checkConvoyError,
  fc,
  fuzzParameters,
  jsonEdits,
  mutations,
  reportCount,
} from '@convoy/fuzz';
import { afterAll, beforeAll, describe, it } from 'vitest';
import {
  batchNormalization,
  conv2d,
  dense,
  dropout,
  flatten,
  input,
  loadModel,
  maxPooling2d,
  saveModel,
  sequential,
} from '../../src/index.js';

const RUNS = { tree: 700, text: 300, weights: 300 };
const dir = mkdtempSync(join(tmpdir(), 'convoy-fuzz-model-'));
const modelPath = join(dir, 'model.json');
let modelJson: unknown;
let weights: Uint8Array;
let optimizerJson: string;
let optimizerBin: Uint8Array;

beforeAll(async () => {
  const model = sequential([
    input({ shape: [6, 6, 1] }),
    conv2d({ filters: 2, kernelSize: 3, activation: 'relu', padding: 'same' }),
    batchNormalization(),
    maxPooling2d({ poolSize: 2 }),
    flatten(),
    dropout({ rate: 0.5 }),
    dense({ units: 3, activation: 'softmax' }),
  ]);
  model.compile({
    optimizer: 'adam',
    loss: 'sparse_categorical_crossentropy',
    metrics: ['accuracy'],
  });
  await saveModel(model, dir, { includeOptimizer: true });
  modelJson = JSON.parse(readFileSync(modelPath, 'utf8'));
  weights = readFileSync(join(dir, 'group1-shard1of1.bin'));
  optimizerJson = readFileSync(join(dir, 'optimizer.json'), 'utf8');
  optimizerBin = readFileSync(join(dir, 'optimizer.bin'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const SUSPECTS = [
  0,
  -1,
  1e9,
  2 ** 31,
  'Conv3D',
  'float64',
  'int32',
  'channels_first',
  [null, 6, 6, 3],
  [],
  null,
  true,
  'same',
  'valid',
];

function write(json: string, weightBytes: Uint8Array | undefined): void {
  writeFileSync(modelPath, json);
  if (weightBytes) writeFileSync(join(dir, 'group1-shard1of1.bin'), weightBytes);
  else rmSync(join(dir, 'group1-shard1of1.bin'), { force: true });
  writeFileSync(join(dir, 'optimizer.json'), optimizerJson);
  writeFileSync(join(dir, 'optimizer.bin'), optimizerBin);
}

async function loadsOrNamesTheFile(): Promise<void> {
  try {
    const model = await loadModel(dir);
    const held = model.getWeights().reduce((sum, w) => sum + w.size, 0);
    if (held * 4 > readFileSync(join(dir, 'group1-shard1of1.bin')).length)
      throw new Error(`loaded ${held} weights from a smaller file`);
  } catch (error) {
    checkConvoyError(error, { prefixes: ['loadModel: '], file: dir });
  }
}

describe('loadModel on damaged model files, fuzzed', () => {
  it('model.json changed anywhere in its tree', async () => {
    await fc.assert(
      fc.asyncProperty(jsonEdits(modelJson, SUSPECTS), fc.boolean(), async (edit, dropWeights) => {
        const json = JSON.stringify(applyJsonEdit(modelJson, edit)) ?? '';
        write(json, dropWeights ? undefined : weights);
        await loadsOrNamesTheFile();
      }),
      fuzzParameters(RUNS.tree),
    );
    reportCount('model.json, tree edits', RUNS.tree);
  });

  it("model.json's text and the weights' bytes mutated", async () => {
    const text = new TextEncoder().encode(JSON.stringify(modelJson));
    await fc.assert(
      fc.asyncProperty(mutations(), async (mutate) => {
        write(new TextDecoder().decode(mutate(text)), weights);
        await loadsOrNamesTheFile();
      }),
      fuzzParameters(RUNS.text),
    );
    await fc.assert(
      fc.asyncProperty(mutations(), async (mutate) => {
        write(JSON.stringify(modelJson), mutate(weights));
        await loadsOrNamesTheFile();
      }),
      fuzzParameters(RUNS.weights),
    );
    reportCount('model.json, text mutations', RUNS.text);
    reportCount('model weights, byte mutations', RUNS.weights);
  });
});
