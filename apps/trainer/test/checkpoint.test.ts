// Checkpoint round trip: weights, optimizer state and trainer state come back exactly; saving
// again replaces the checkpoint without leaving temporary directories; bad checkpoints fail clearly.

import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { textbookModel } from '@convoy/layers';
import { randomUniform, Tensor } from '@convoy/tensor';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { replaceDirectoryAtomic } from '../src/atomic.js';
import {
  CHECKPOINT_STATE_FILE,
  type CheckpointState,
  checkpointPath,
  hasCheckpoint,
  loadCheckpoint,
  saveCheckpoint,
} from '../src/checkpoint.js';

async function trainedModel() {
  const model = textbookModel(3, { seed: 3 });
  const images = randomUniform([16, 28, 28, 1], { min: 0, max: 1, seed: 4 });
  const labels = new Tensor(
    Int32Array.from({ length: 16 }, (_, i) => i % 10),
    [16],
    'int32',
  );
  await model.fit(images, labels, { epochs: 1, batchSize: 8 });
  return model;
}

const state: CheckpointState = {
  completedEpochs: 2,
  interrupted: { epoch: 3, step: 17, steps: 40 },
  history: [
    { epoch: 1, loss: 1.5, accuracy: 0.5, valLoss: 1.25, valAccuracy: 0.625, seconds: 3 },
    { epoch: 2, loss: 1, accuracy: 0.75, valLoss: 1.125, valAccuracy: 0.6875, seconds: 2.5 },
  ],
  settings: { model: 'textbook model 3', batchSize: 8, seed: 3, subset: null },
};

describe('checkpoint', () => {
  let outDir: string;
  beforeEach(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'convoy-checkpoint-'));
  });
  afterEach(async () => {
    await rm(outDir, { recursive: true, force: true });
  });

  it('round-trips weights, optimizer state and trainer state', async () => {
    const model = await trainedModel();
    expect(await hasCheckpoint(outDir)).toBe(false);
    await saveCheckpoint(outDir, model, state);
    expect(await hasCheckpoint(outDir)).toBe(true);

    const loaded = await loadCheckpoint(outDir, { seed: 3 });
    expect(loaded.state).toEqual(state);
    const before = model.getWeights();
    const after = loaded.model.getWeights();
    expect(after.map((w) => w.shape)).toEqual(before.map((w) => w.shape));
    for (const [index, weight] of after.entries()) expect(weight.data).toEqual(before[index]!.data);
    const savedOptimizer = model.optimizer!.getState();
    const loadedOptimizer = loaded.model.optimizer!.getState();
    expect(loadedOptimizer.iterations).toBe(2);
    expect(loadedOptimizer.iterations).toBe(savedOptimizer.iterations);
    expect(Object.keys(loadedOptimizer.slots).sort()).toEqual(
      Object.keys(savedOptimizer.slots).sort(),
    );
    for (const [name, arrays] of Object.entries(savedOptimizer.slots))
      for (const [index, array] of arrays.entries())
        expect(loadedOptimizer.slots[name]![index]).toEqual(array);
    expect(loaded.model.optimizer!.getConfig()).toEqual(model.optimizer!.getConfig());
  });

  it('replaces an older checkpoint and leaves no temporary directories', async () => {
    const model = await trainedModel();
    await saveCheckpoint(outDir, model, state);
    await saveCheckpoint(outDir, model, { ...state, completedEpochs: 3, interrupted: null });
    expect(await readdir(outDir)).toEqual(['checkpoint']);
    expect((await loadCheckpoint(outDir, { seed: 0 })).state.completedEpochs).toBe(3);
    expect((await readdir(checkpointPath(outDir))).sort()).toEqual([
      'group1-shard1of1.bin',
      'model.json',
      'optimizer.bin',
      'optimizer.json',
      CHECKPOINT_STATE_FILE,
    ]);
  });

  it('keeps the previous checkpoint whole when a save fails part-way', async () => {
    const model = await trainedModel();
    await saveCheckpoint(outDir, model, state);
    await expect(
      replaceDirectoryAtomic(checkpointPath(outDir), async (dir) => {
        await writeFile(join(dir, CHECKPOINT_STATE_FILE), '{"half": ');
        throw new Error('disk full');
      }),
    ).rejects.toThrow('disk full');
    expect(await readdir(outDir)).toEqual(['checkpoint']);
    expect((await loadCheckpoint(outDir, { seed: 0 })).state).toEqual(state);
  });

  it('explains a missing or foreign checkpoint', async () => {
    await expect(loadCheckpoint(outDir, { seed: 0 })).rejects.toThrow(
      `--resume: no checkpoint in ${checkpointPath(outDir)}`,
    );
    const model = await trainedModel();
    await saveCheckpoint(outDir, model, state);
    const statePath = join(checkpointPath(outDir), CHECKPOINT_STATE_FILE);
    await writeFile(statePath, '{"format":"something-else"}');
    await expect(loadCheckpoint(outDir, { seed: 0 })).rejects.toThrow(
      'is not a convoy-train checkpoint of version 1',
    );
    await writeFile(statePath, '{ truncated');
    await expect(loadCheckpoint(outDir, { seed: 0 })).rejects.toThrow('is not valid JSON');
  });
});
