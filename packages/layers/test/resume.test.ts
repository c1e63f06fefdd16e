// Resuming fit exactly: a run stopped at a step, checkpointed (encodeCheckpoint) and resumed on a
// fresh model (resumeFrom, or the BackupAndRestore callback) ends with the weights, optimizer
// state, history and per-batch logs of the run that never stopped — for stops at the first and
// the last step of an epoch, mid-epoch, between epochs and at the very last step, on 1 and 2
// workers and across them. Also: refusing other settings and damaged checkpoints.

import { describe, expect, it } from 'vitest';
import {
  BackupAndRestore,
  batchNormalization,
  type Callback,
  type CheckpointStore,
  conv2d,
  decodeCheckpoint,
  dense,
  dropout,
  encodeCheckpoint,
  type FitRun,
  flatten,
  input,
  maxPooling2d,
  type Sequential,
  sequential,
  type TrainingSnapshot,
} from '../src/index.js';
import { TOY_CLASSES, TOY_SIZE, toyImages } from './helpers/toy.js';

function miniModel(seed = 31): Sequential {
  const model = sequential(
    [
      input({ shape: [TOY_SIZE, TOY_SIZE, 1] }),
      conv2d({ filters: 4, kernelSize: 3, activation: 'relu', padding: 'same' }),
      batchNormalization(),
      maxPooling2d({ poolSize: 2 }),
      flatten(),
      dense({ units: 8, activation: 'relu' }),
      dropout({ rate: 0.25 }),
      dense({ units: TOY_CLASSES, activation: 'softmax' }),
    ],
    { seed },
  );
  model.compile({
    optimizer: { name: 'Adam', learning_rate: 0.01, decay: 0 },
    loss: 'sparse_categorical_crossentropy',
    metrics: ['accuracy'],
  });
  return model;
}

// 50 examples: 40 train in steps of 16, 16 and 8; 10 validate. Three epochs.
const { x, y } = toyImages(50, 7);
const FIT = { epochs: 3, batchSize: 16, validationSplit: 0.2 } as const;

type Logged = [number, number, number, number | undefined];

/** Records every batch's running logs, and keeps a state of its own to carry through resumes. */
class Recorder implements Callback {
  logs: Logged[] = [];
  batchesSeen = 0;
  onBatchEnd(batch: number, logs: { epoch: number; loss: number; accuracy?: number }) {
    this.batchesSeen += 1;
    this.logs.push([logs.epoch, batch, logs.loss, logs.accuracy]);
  }
  getState() {
    return { batchesSeen: this.batchesSeen };
  }
  setState(state: unknown) {
    this.batchesSeen = (state as { batchesSeen: number }).batchesSeen;
  }
}

interface Outcome {
  weights: number[][];
  optimizer: unknown;
  history: Record<string, number[]>;
  epochs: number[];
  logs: Logged[];
  batchesSeen: number;
}

function outcomeOf(
  model: Sequential,
  history: { epoch: number[]; history: Record<string, number[]> },
  recorder: Recorder,
  logs: Logged[],
): Outcome {
  return {
    weights: model.getWeights().map((w) => Array.from(w.data)),
    optimizer: model.optimizer!.getState(),
    history: history.history,
    epochs: history.epoch,
    logs,
    batchesSeen: recorder.batchesSeen,
  };
}

const references = new Map<number, Outcome>();
async function reference(workers: number): Promise<Outcome> {
  const known = references.get(workers);
  if (known) return known;
  const model = miniModel();
  const recorder = new Recorder();
  const history = await model.fit(x, y, { ...FIT, workers, callbacks: [recorder, {}] });
  const outcome = outcomeOf(model, history, recorder, recorder.logs);
  references.set(workers, outcome);
  return outcome;
}

type StopPoint = { epoch: number; batch: number } | { afterEpoch: number };

/** Stops a fit at `point`, taking the snapshot and checkpoint bytes there. */
class StopAt implements Callback {
  bytes: Uint8Array | undefined;
  snapshot: TrainingSnapshot | undefined;
  private run: FitRun | undefined;
  constructor(private readonly point: StopPoint | undefined) {}
  onTrainBegin(_: unknown, run: FitRun) {
    this.run = run;
  }
  private async take(): Promise<'stop'> {
    this.snapshot = this.run!.snapshot();
    this.bytes = await encodeCheckpoint(this.run!.model, this.snapshot);
    return 'stop';
  }
  onBatchEnd(batch: number, logs: { epoch: number }) {
    const point = this.point;
    if (point && 'batch' in point && point.epoch === logs.epoch && point.batch === batch)
      return this.take();
  }
  onEpochEnd(epoch: number) {
    const point = this.point;
    if (point && 'afterEpoch' in point && point.afterEpoch === epoch) return this.take();
  }
}

async function stopAndResume(point: StopPoint, workers: number, resumeWorkers: number) {
  const first = miniModel();
  const recorder = new Recorder();
  const stop = new StopAt(point);
  await first.fit(x, y, { ...FIT, workers, callbacks: [recorder, stop] });
  expect(stop.bytes, 'the stop point was reached').toBeDefined();
  // A different seed for the fresh model's initial weights would be refused (the seed drives
  // dropout); its weights are overwritten by the checkpoint's anyway.
  const second = miniModel();
  const checkpoint = await decodeCheckpoint(stop.bytes!, 'in-memory checkpoint');
  checkpoint.restoreInto(second);
  const resumed = new Recorder();
  const history = await second.fit(x, y, {
    ...FIT,
    workers: resumeWorkers,
    resumeFrom: checkpoint.training,
    callbacks: [resumed, new StopAt(undefined)],
  });
  // The first run logged every batch up to the stop; the resumed one the rest.
  return outcomeOf(second, history, resumed, [...recorder.logs, ...resumed.logs]);
}

const POINTS: [string, StopPoint][] = [
  ['the first step of the first epoch', { epoch: 0, batch: 0 }],
  ['the last step of an epoch, before its validation', { epoch: 0, batch: 2 }],
  ['mid-epoch', { epoch: 1, batch: 1 }],
  ['between two epochs', { afterEpoch: 1 }],
  ['the last step of the run', { epoch: 2, batch: 2 }],
];

describe('fit resumed from a checkpoint', () => {
  for (const [workers, resumeWorkers] of [
    [1, 1],
    [2, 2],
    [2, 1],
  ] as const) {
    it.each(POINTS)(
      `ends as the run that never stopped, bit for bit: stopped at %s (${workers} worker(s), resumed on ${resumeWorkers})`,
      async (_, point) => {
        const expected = await reference(1);
        const got = await stopAndResume(point, workers, resumeWorkers);
        expect(got.weights).toEqual(expected.weights);
        expect(got.optimizer).toEqual(expected.optimizer);
        expect(got.epochs).toEqual(expected.epochs);
        expect(got.history).toEqual(expected.history);
        expect(got.logs).toEqual(expected.logs);
        expect(got.batchesSeen).toBe(expected.batchesSeen);
      },
    );
  }

  it('refuses other settings, naming each difference', async () => {
    const model = miniModel();
    const stop = new StopAt({ epoch: 0, batch: 1 });
    await model.fit(x, y, { ...FIT, callbacks: [stop] });
    const again = miniModel();
    await expect(
      again.fit(x, y, { ...FIT, batchSize: 8, resumeFrom: stop.snapshot!, callbacks: [{}] }),
    ).rejects.toThrow(
      'fit: cannot resume this run with other settings, the result would differ: batchSize 16 in the checkpoint, 8 now',
    );
    await expect(
      miniModel(5).fit(x, y, {
        ...FIT,
        shuffle: false,
        resumeFrom: stop.snapshot!,
        callbacks: [{}],
      }),
    ).rejects.toThrow(
      'shuffle true in the checkpoint, false now; seed 31 in the checkpoint, 5 now',
    );
    await expect(
      again.fit(x, y, { ...FIT, resumeFrom: stop.snapshot!, callbacks: [{}, {}] }),
    ).rejects.toThrow('the snapshot holds the state of 1 callbacks, this fit has 2');
  });

  it('refuses damaged checkpoints and another model, naming the file and what is wrong', async () => {
    const model = miniModel();
    const stop = new StopAt({ epoch: 0, batch: 1 });
    await model.fit(x, y, { ...FIT, callbacks: [stop] });
    const bytes = stop.bytes!;
    await expect(decodeCheckpoint(bytes.subarray(0, 60), 'run/checkpoint.ckpt')).rejects.toThrow(
      'run/checkpoint.ckpt: damaged: its SHA-256 does not match',
    );
    const flipped = bytes.slice();
    flipped[bytes.length - 100]! ^= 1;
    await expect(decodeCheckpoint(flipped, 'run/checkpoint.ckpt')).rejects.toThrow('damaged');
    const notOne = bytes.slice();
    notOne[0] = 0x50;
    await expect(decodeCheckpoint(notOne, 'x.ckpt')).rejects.toThrow(
      'x.ckpt: not a Convoy checkpoint (expected it to start with "CONVOYCK")',
    );
    await expect(decodeCheckpoint(new Uint8Array(10), 'tiny.ckpt')).rejects.toThrow(
      'tiny.ckpt: not a complete checkpoint: 10 bytes, a checkpoint has at least 48',
    );
    const other = sequential([
      input({ shape: [TOY_SIZE, TOY_SIZE, 1] }),
      flatten(),
      dense({ units: 3 }),
    ]);
    const checkpoint = await decodeCheckpoint(bytes, 'run/checkpoint.ckpt');
    expect(() => checkpoint.restoreInto(other)).toThrow(
      "run/checkpoint.ckpt: the checkpoint's model differs from this one at layer 1: conv2d (Conv2D kernel[3,3,1,4] bias[4]) in the checkpoint, flatten (Flatten) here",
    );
  });
});

/** Bytes kept in memory, as a browser would keep them in IndexedDB. */
function memoryStore(): CheckpointStore & { bytes: Uint8Array | undefined; writes: number } {
  return {
    description: 'memory:backup',
    bytes: undefined,
    writes: 0,
    async read() {
      return this.bytes;
    },
    async write(bytes) {
      this.bytes = bytes;
      this.writes += 1;
    },
    async remove() {
      this.bytes = undefined;
    },
  };
}

describe('BackupAndRestore', () => {
  it('continues a fit that crashed from its last backup, and deletes the backup at the end', async () => {
    const expected = await reference(1);
    const store = memoryStore();
    const crashAt = 5; // the sixth step overall: epoch 1, batch 2
    let steps = 0;
    const crash: Callback = {
      onBatchEnd: () => {
        steps += 1;
        if (steps === crashAt) throw new Error('simulated crash');
      },
    };
    const backup = new BackupAndRestore({ store, saveFreq: 2 });
    const recorder = new Recorder();
    await expect(
      miniModel().fit(x, y, { ...FIT, callbacks: [recorder, backup, crash] }),
    ).rejects.toThrow('simulated crash');
    expect(store.writes).toBe(2); // after steps 2 and 4
    const again = miniModel();
    const resumedBackup = new BackupAndRestore({ store, saveFreq: 2 });
    const resumed = new Recorder();
    const history = await again.fit(x, y, { ...FIT, callbacks: [resumed, resumedBackup, {}] });
    expect(resumedBackup.restoredFrom).toEqual({ epoch: 1, step: 1 });
    expect(again.getWeights().map((w) => Array.from(w.data))).toEqual(expected.weights);
    expect(history.history).toEqual(expected.history);
    expect(resumed.logs).toEqual(expected.logs.slice(4));
    expect(store.bytes).toBeUndefined();
  });

  it('backs up at every epoch end by default and keeps the backup when asked', async () => {
    const store = memoryStore();
    const backup = new BackupAndRestore({ store, deleteCheckpoint: false });
    await miniModel().fit(x, y, { ...FIT, callbacks: [backup] });
    expect(backup.saves).toBe(3);
    const checkpoint = await decodeCheckpoint(store.bytes!, store.description);
    expect(checkpoint.training.position).toMatchObject({ epoch: 3, step: 0 });
    // A fit of the finished run trains nothing more and returns its history.
    const again = miniModel();
    const history = await again.fit(x, y, {
      ...FIT,
      callbacks: [new BackupAndRestore({ store })],
    });
    expect(history.epoch).toEqual([0, 1, 2]);
  });

  it('checks its options', () => {
    expect(() => new BackupAndRestore({})).toThrow('give backupDir (a directory) or a store');
    expect(() => new BackupAndRestore({ store: memoryStore(), saveFreq: 0 })).toThrow(
      "saveFreq must be 'epoch' or a positive whole number of steps, got 0",
    );
  });
});
