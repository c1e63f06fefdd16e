// Training for a Sequential model. One step: forward through every layer, loss and its gradient,
// backward through every layer in reverse, one optimizer update — run by the data-parallel engine
// (src/data-parallel/): on this thread for one worker, or in replicas on worker threads, with the
// same numbers either way. fit prints nothing: progress goes to callbacks, which run between
// steps, and a callback (or model.stopTraining) ends it. A run can stop at any step and resume
// from a snapshot of it (training-state.ts) as if it never stopped, bit for bit.

import type { Executor } from '@convoy/ops';
import type { Tensor } from '@convoy/tensor';
import { checkBatchSize, checkSameRows, gatherBatch, range, sliceRows } from './batches.js';
import {
  type BatchLogs,
  type Callback,
  type EpochLogs,
  type FitRun,
  type FitTiming,
  type History,
  notify,
  type TrainBeginLogs,
} from './callbacks.js';
import { startEngine } from './data-parallel/engine.js';
import { fitTiming, trainStep, validate } from './engine-steps.js';
import { metricLogs } from './evaluation.js';
import { checkTargets } from './losses.js';
import type { Model } from './model.js';
import { diagnoseBatch, type NonFiniteReport, nonFiniteReport } from './non-finite.js';
import { requireCompiled } from './run-model.js';
import {
  copySnapshot,
  type FitSettings,
  settingsDifference,
  type TrainingPosition,
  type TrainingSnapshot,
} from './training-state.js';

export interface FitOptions {
  /** The epoch to stop before (default 1); with initialEpoch, runs epochs initialEpoch..epochs-1. */
  epochs?: number;
  /** The epoch to start at, for resuming (default 0), as Keras's initial_epoch. */
  initialEpoch?: number;
  /** Default 32. */
  batchSize?: number;
  /** Reshuffle the training examples before each epoch (default true). */
  shuffle?: boolean;
  /** Hold out this fraction of the examples, taken from the end before shuffling, as Keras does. */
  validationSplit?: number;
  /** Explicit validation data (takes precedence over validationSplit). */
  validationData?: readonly [Tensor, Tensor];
  callbacks?: Callback | readonly Callback[];
  /**
   * 1 (default) trains on this thread; more trains that many data-parallel replicas on worker
   * threads (each runs whole steps on its rows of every batch). The weights come out the same,
   * bit for bit, for any number.
   */
  workers?: number;
  /**
   * Train on this thread with this executor running the layers' ops (a worker executor from
   * @convoy/ops splits each kernel call instead); it is not closed at the end. Excludes workers > 1.
   */
  executor?: Executor;
  /**
   * Continue the run a snapshot was taken of (FitRun.snapshot, with the model's weights and
   * optimizer as they were then): its epoch, step, order, running sums, history and callbacks'
   * state. The settings must be the same (batch size, examples, shuffle, seed), or fit refuses.
   */
  resumeFrom?: TrainingSnapshot;
}

function checkFitOptions(options: FitOptions): {
  epochs: number;
  initialEpoch: number;
  validationSplit: number;
} {
  const epochs = options.epochs ?? 1;
  if (!Number.isSafeInteger(epochs) || epochs < 0) {
    throw new RangeError(
      `fit: epochs must be a non-negative integer, got ${String(options.epochs)}`,
    );
  }
  const initialEpoch = options.initialEpoch ?? 0;
  if (!Number.isSafeInteger(initialEpoch) || initialEpoch < 0) {
    throw new RangeError(
      `fit: initialEpoch must be a non-negative integer, got ${String(options.initialEpoch)}`,
    );
  }
  const validationSplit = options.validationSplit ?? 0;
  if (!(validationSplit >= 0 && validationSplit < 1)) {
    throw new RangeError(
      `fit: validationSplit must be in [0, 1), got ${String(options.validationSplit)}`,
    );
  }
  return { epochs, initialEpoch, validationSplit };
}

export async function fit(
  model: Model,
  x: Tensor,
  y: Tensor,
  options: FitOptions = {},
): Promise<History> {
  const { loss } = requireCompiled(model, 'fit');
  const { epochs, initialEpoch, validationSplit } = checkFitOptions(options);
  const batchSize = checkBatchSize(options.batchSize, 'fit');
  const workers = checkWorkers(options);
  checkSameRows(x, y, 'fit');
  model.ensureBuiltFor(x);
  checkTargets(loss, [x.shape[0]!, ...(model.outputShape!.slice(1) as number[])], y, 'fit');
  const callbacks =
    options.callbacks === undefined ? [] : ([] as Callback[]).concat(options.callbacks);

  const total = x.shape[0]!;
  const splitAt = options.validationData ? total : Math.floor(total * (1 - validationSplit));
  const trainX = sliceRows(x as Tensor<'float32'>, 0, splitAt);
  const trainY = sliceRows(y, 0, splitAt);
  const validation = options.validationData
    ? options.validationData
    : splitAt < total
      ? ([sliceRows(x, splitAt, total), sliceRows(y, splitAt, total)] as const)
      : undefined;
  if (validation) checkSameRows(validation[0], validation[1], 'fit: validationData');
  if (splitAt === 0)
    throw new RangeError(
      `fit: no training examples left (x ${JSON.stringify(x.shape)}, validationSplit ${validationSplit})`,
    );

  const steps = Math.ceil(splitAt / batchSize);
  const params: TrainBeginLogs = {
    epochs,
    steps,
    samples: splitAt,
    batchSize,
    validationSamples: validation ? validation[0].shape[0]! : 0,
  };
  const settings: FitSettings = {
    batchSize,
    samples: splitAt,
    validationSamples: params.validationSamples,
    shuffle: options.shuffle ?? true,
    seed: model.seed,
  };
  // Restored before the replicas start: they take the weights and optimizer slots as they are.
  const resume = options.resumeFrom ?? (await restoreFromCallbacks(model, callbacks));
  if (resume) checkResumable(resume, settings, callbacks);
  const history: History = resume
    ? { ...copySnapshot(resume).history, params }
    : { epoch: [], history: {}, params };
  model.stopTraining = false;
  const started = performance.now();
  // The timing leaves out the first step, which waits for the replicas to start.
  let afterFirstStep: { at: number; waitedMs: number; replicas: FitTiming['replicas'] } | undefined;
  let lastStep = started;
  let stepsRun = 0;
  // Where the run stands between steps: what FitRun.snapshot() hands out.
  let cursor: TrainingPosition = resume
    ? copySnapshot(resume).position
    : {
        epoch: initialEpoch,
        step: 0,
        epochRng: model.trainingRng.getState(),
        sums: { loss: 0, correct: 0, seen: 0 },
      };
  const run: FitRun = {
    model,
    snapshot: () =>
      copySnapshot({
        position: cursor,
        history: { epoch: history.epoch, history: history.history },
        callbacks: callbacks.map((callback) => callback.getState?.() ?? null),
        settings,
      }),
  };

  const engine = await startEngine(model, {
    x: trainX,
    y: trainY,
    // The engine's buffers hold the largest batch that occurs, not a batchSize past the data.
    batchSize: Math.min(batchSize, splitAt),
    replicas: workers,
    executor: options.executor,
    evaluation: validation,
  });
  try {
    if (await notify(callbacks, 'onTrainBegin', params, run)) model.stopTraining = true;
    let lastLogs: EpochLogs | undefined;
    for (let epoch = cursor.epoch; epoch < epochs && !model.stopTraining; epoch++) {
      // The resumed epoch's order comes from the random state its shuffle started from.
      if (epoch === cursor.epoch) model.trainingRng.setState(cursor.epochRng);
      else cursor = { epoch, step: 0, epochRng: model.trainingRng.getState(), sums: zeroSums() };
      if (await notify(callbacks, 'onEpochBegin', epoch)) model.stopTraining = true;
      const order = range(splitAt);
      if (settings.shuffle) model.trainingRng.shuffle(order);
      engine.memory.order.set(order);
      const sums = cursor.sums;
      for (let batch = cursor.step; batch < steps && !model.stopTraining; batch++) {
        const start = batch * batchSize;
        const size = Math.min(start + batchSize, splitAt) - start;
        if (await notify(callbacks, 'onBatchBegin', batch, { epoch, batch, size }))
          model.stopTraining = true;
        const outcome = await trainStep(
          model,
          engine,
          start,
          size,
          `epoch ${epoch + 1}, batch ${batch + 1}`,
        );
        if (outcome.kind === 'non-finite') {
          const batchX = gatherBatch(trainX, order, start, start + size);
          const batchY = gatherBatch(trainY, order, start, start + size);
          const found = await diagnoseBatch(model, batchX, batchY);
          const action = await nonFiniteAction(
            callbacks,
            nonFiniteReport(epoch, batch, outcome.loss, found),
          );
          if (action === 'stop') model.stopTraining = true;
          cursor.step = batch + 1;
          continue;
        }
        lastStep = performance.now();
        if (afterFirstStep) stepsRun += 1;
        else {
          afterFirstStep = {
            at: lastStep,
            waitedMs: engine.waitedMs,
            replicas: engine.replicaTiming(),
          };
        }
        sums.loss += outcome.loss;
        sums.correct += outcome.correct;
        sums.seen += size;
        cursor.step = batch + 1;
        const logs: BatchLogs = {
          epoch,
          batch,
          size,
          loss: 0,
          ...metricLogs(model, sums.loss, sums.correct, sums.seen),
        };
        if (await notify(callbacks, 'onBatchEnd', batch, logs)) model.stopTraining = true;
      }
      const logs = metricLogs(model, sums.loss, sums.correct, sums.seen);
      if (validation) Object.assign(logs, await validate(model, engine, batchSize));
      history.epoch.push(epoch);
      for (const [key, value] of Object.entries(logs)) (history.history[key] ??= []).push(value);
      lastLogs = logs;
      cursor = {
        epoch: epoch + 1,
        step: 0,
        epochRng: model.trainingRng.getState(),
        sums: zeroSums(),
      };
      if (await notify(callbacks, 'onEpochEnd', epoch, logs)) model.stopTraining = true;
    }
    history.timing = fitTiming(engine, started, lastStep, stepsRun, afterFirstStep);
    await notify(callbacks, 'onTrainEnd', lastLogs);
    return history;
  } finally {
    await engine.close();
  }
}

function zeroSums(): TrainingPosition['sums'] {
  return { loss: 0, correct: 0, seen: 0 };
}

/** The snapshot the first callback with onTrainRestore hands back, if any. */
async function restoreFromCallbacks(
  model: Model,
  callbacks: readonly Callback[],
): Promise<TrainingSnapshot | undefined> {
  for (const callback of callbacks) {
    const snapshot = await callback.onTrainRestore?.(model);
    if (snapshot) return snapshot;
  }
  return undefined;
}

/** Refuses a snapshot of a run with other settings, and gives callbacks their state back. */
function checkResumable(
  snapshot: TrainingSnapshot,
  settings: FitSettings,
  callbacks: readonly Callback[],
): void {
  const difference = settingsDifference(snapshot.settings, settings);
  if (difference)
    throw new Error(
      `fit: cannot resume this run with other settings, the result would differ: ${difference}`,
    );
  const steps = Math.ceil(settings.samples / settings.batchSize);
  if (snapshot.position.step > steps)
    throw new RangeError(
      `fit: cannot resume at step ${snapshot.position.step} of an epoch of ${steps} steps`,
    );
  if (snapshot.callbacks.length > 0 && snapshot.callbacks.length !== callbacks.length)
    throw new Error(
      `fit: the snapshot holds the state of ${snapshot.callbacks.length} callbacks, this fit has ${callbacks.length}; pass the same callbacks in the same order`,
    );
  snapshot.callbacks.forEach((state, i) => {
    if (state !== null) callbacks[i]!.setState?.(structuredClone(state));
  });
}

/** Asks the callbacks what to do about a non-finite step; throws when none says. */
async function nonFiniteAction(
  callbacks: readonly Callback[],
  report: NonFiniteReport,
): Promise<'stop' | 'skip'> {
  let action: 'stop' | 'skip' | undefined;
  for (const callback of callbacks) {
    const answer = await callback.onNonFinite?.(report);
    if (answer === 'stop') action = 'stop';
    else if (answer === 'skip') action ??= 'skip';
  }
  if (!action) throw new RangeError(report.message);
  return action;
}

function checkWorkers(options: FitOptions): number {
  const workers = options.workers ?? 1;
  if (!Number.isSafeInteger(workers) || workers < 1) {
    throw new RangeError(`fit: workers must be a positive integer, got ${String(options.workers)}`);
  }
  if (options.executor && workers > 1) {
    throw new RangeError(
      `fit: give either workers (${workers} data-parallel replicas) or an executor, not both`,
    );
  }
  return workers;
}
