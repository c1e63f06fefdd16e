// Models in and out of the page: the downloaded files are byte for byte what convoy-train's
// saveModel writes, and opening the files saveModel wrote (in any order) gives the same model.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadModel, textbookModel, WEIGHTS_FILE } from '@convoy/layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelFiles, openModelFiles } from '../src/training/model-files.js';

let dir: string;
const model = textbookModel(3, { seed: 5 });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'convoy-model-files-'));
  await model.save(dir);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fileOnDisk = (name: string) => new File([readFileSync(join(dir, name))], name);
const bytes = async (blob: Blob) => new Uint8Array(await blob.arrayBuffer());

describe('modelFiles', () => {
  it('makes model.json and group1-shard1of1.bin exactly as saveModel writes them', async () => {
    const { modelJson, weights } = model.toArtifacts();
    const files = modelFiles(modelJson, weights.slice().buffer);
    expect(files.map((f) => f.name)).toEqual(['model.json', WEIGHTS_FILE]);
    expect(await bytes(files[0]!.blob)).toEqual(
      new Uint8Array(readFileSync(join(dir, 'model.json'))),
    );
    expect(await bytes(files[1]!.blob)).toEqual(
      new Uint8Array(readFileSync(join(dir, WEIGHTS_FILE))),
    );
  });
});

describe('openModelFiles', () => {
  it('opens what saveModel wrote, the .bin chosen first, into the same weights', async () => {
    const opened = await openModelFiles([fileOnDisk(WEIGHTS_FILE), fileOnDisk('model.json')]);
    expect(opened.name).toBe(`model.json + ${WEIGHTS_FILE}`);
    const back = await loadModel({ modelJson: opened.modelJson, weights: opened.weights });
    expect(back.getWeights().map((w) => Array.from(w.data))).toEqual(
      model.getWeights().map((w) => Array.from(w.data)),
    );
  });

  it('says which weights file is missing', async () => {
    await expect(openModelFiles([fileOnDisk('model.json')])).rejects.toThrow(
      `model.json needs ${WEIGHTS_FILE}; choose it together with model.json`,
    );
  });

  it('wants exactly one model.json, and a TensorFlow.js layers model in it', async () => {
    await expect(openModelFiles([fileOnDisk(WEIGHTS_FILE)])).rejects.toThrow('got no .json file');
    await expect(
      openModelFiles([fileOnDisk('model.json'), new File(['{}'], 'other.json')]),
    ).rejects.toThrow('got 2 .json files');
    await expect(
      openModelFiles([new File(['{"format":"graph-model"}'], 'x.json')]),
    ).rejects.toThrow('x.json is not a TensorFlow.js layers model');
    await expect(openModelFiles([new File(['not json'], 'x.json')])).rejects.toThrow(
      'x.json is not JSON',
    );
  });
});
