// The trainer's checkpoint file: weights, optimizer state, fit's snapshot and the trainer's own
// state come back exactly (non-finite history values too); saving again replaces the one file
// and leaves nothing beside it; missing, old-format, damaged and foreign checkpoints fail with
// the file named and what is wrong.

import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  encodeCheckpoint,
  type FitRun,
  type TrainingSnapshot,
  textbookModel,
} from '@convoy/layers';
import { randomUniform, Tensor } from '@convoy/tensor';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CHECKPOINT_FILE,
  checkpointPath,
  cleanCheckpointLeftovers,
  hasCheckpoint,
  loadCheckpoint,
  saveCheckpoint,
  type TrainerState,
} from '../src/checkpoint.js';

/** Model 3 after one step of an epoch of two, with the snapshot taken there. */
async function trainedModel() {
  const model = textbookModel(3, { seed: 3 });
  const images = randomUniform([16, 28, 28, 1], { min: 0, max: 1, seed: 4 });
  const labels = new Tensor(
    Int32Array.from({ length: 16 }, (_, i) => i % 10),
    [16],
    'int32',
  );
  let snapshot: TrainingSnapshot | undefined;
  let run: FitRun | undefined;
  await model.fit(images, labels, {
    epochs: 1,
    batchSize: 8,
    callbacks: {
      onTrainBegin: (_, fitRun) => {
        run = fitRun;
      },
      onBatchEnd: () => {
        snapshot = run!.snapshot();
        return 'stop';
      },
    },
  });
  return { model, snapshot: snapshot! };
}

function stateOf(snapshot: TrainingSnapshot): TrainerState {
  return {
    settings: {
      model: 'textbook model 3',
      optimizer: 'adam',
      learningRate: null,
      batchSize: 8,
      seed: 3,
      subset: null,
      dataSource: 'synthetic',
      dataSha256: 'ab'.repeat(32),
    },
    epoch: 3,
    phase: 'test',
    records: [
      { epoch: 1, loss: 1.5, accuracy: 0.5, valLoss: 1.25, valAccuracy: 0.625, seconds: 3 },
      {
        epoch: 2,
        loss: 1,
        accuracy: Number.NaN,
        valLoss: Number.POSITIVE_INFINITY,
        valAccuracy: 0.6875,
        seconds: 2.5,
      },
    ],
    trained: { loss: 0.75, accuracy: 0.8125 },
    seconds: 1.25,
    snapshot,
  };
}

describe('checkpoint', () => {
  let outDir: string;
  beforeEach(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'convoy-checkpoint-'));
  });
  afterEach(async () => {
    await rm(outDir, { recursive: true, force: true });
  });

  it('round-trips weights, optimizer state, fit snapshot and trainer state', async () => {
    const { model, snapshot } = await trainedModel();
    const state = stateOf(snapshot);
    expect(await hasCheckpoint(outDir)).toBe(false);
    await saveCheckpoint(outDir, model, state);
    expect(await hasCheckpoint(outDir)).toBe(true);

    const loaded = await loadCheckpoint(outDir, { seed: 3 });
    expect(loaded.state).toEqual(state);
    expect(loaded.state.snapshot.position.step).toBe(1);
    expect(loaded.model.getWeights().map((w) => Array.from(w.data))).toEqual(
      model.getWeights().map((w) => Array.from(w.data)),
    );
    expect(loaded.model.optimizer!.getState()).toEqual(model.optimizer!.getState());
    expect(loaded.model.optimizer!.iterations).toBe(1);
    expect(loaded.model.optimizer!.getConfig()).toEqual(model.optimizer!.getConfig());
  });

  it('replaces the one file and leaves nothing beside it; stale temporaries are cleaned', async () => {
    const { model, snapshot } = await trainedModel();
    await saveCheckpoint(outDir, model, stateOf(snapshot));
    await saveCheckpoint(outDir, model, {
      ...stateOf(snapshot),
      epoch: 4,
      phase: 'train',
      trained: null,
      records: [
        ...stateOf(snapshot).records,
        { epoch: 3, loss: 1, accuracy: 1, valLoss: 1, valAccuracy: 1, seconds: 1 },
      ],
    });
    expect(await readdir(outDir)).toEqual([CHECKPOINT_FILE]);
    expect((await loadCheckpoint(outDir, { seed: 0 })).state.epoch).toBe(4);
    // What a save killed before its rename leaves: a temporary file, removed at the next start.
    await writeFile(join(outDir, `.${CHECKPOINT_FILE}.tmp-123-abcd`), 'half');
    await cleanCheckpointLeftovers(outDir);
    expect(await readdir(outDir)).toEqual([CHECKPOINT_FILE]);
  });

  it('explains a missing, old, damaged or foreign checkpoint, naming the file', async () => {
    await expect(loadCheckpoint(outDir, { seed: 0 })).rejects.toThrow(
      `--resume: there is no checkpoint in ${outDir} (no checkpoint.ckpt`,
    );
    await mkdir(join(outDir, 'checkpoint'));
    await writeFile(join(outDir, 'checkpoint', 'trainer-state.json'), '{}');
    await expect(loadCheckpoint(outDir, { seed: 0 })).rejects.toThrow(
      'is a checkpoint of an earlier convoy-train, which cannot resume a run exactly',
    );
    const { model, snapshot } = await trainedModel();
    await saveCheckpoint(outDir, model, stateOf(snapshot));
    const path = checkpointPath(outDir);
    const bytes = await readFile(path);
    await writeFile(path, bytes.subarray(0, bytes.length - 10));
    await expect(loadCheckpoint(outDir, { seed: 0 })).rejects.toThrow(
      `${path}: damaged: its SHA-256 does not match`,
    );
    // A valid layers checkpoint that fit alone wrote carries no trainer state.
    await writeFile(path, await encodeCheckpoint(model, snapshot));
    await expect(loadCheckpoint(outDir, { seed: 0 })).rejects.toThrow(
      `${path}: not a convoy-train checkpoint (it holds no trainer state)`,
    );
    await writeFile(
      path,
      await encodeCheckpoint(model, snapshot, { format: 'convoy-train', version: 2, epoch: 0 }),
    );
    await expect(loadCheckpoint(outDir, { seed: 0 })).rejects.toThrow(
      `${path}: epoch must be a positive integer, got 0`,
    );
  });
});
