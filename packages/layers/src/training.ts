// Training for a Sequential model. One step: forward through every layer, loss and its gradient,
// backward through every layer in reverse, one optimizer update — run by the data-parallel engine
// (src/data-parallel/): on this thread for one worker, or in replicas on worker threads, with the
// same numbers either way. fit prints nothing: progress goes to callbacks, which run between
// steps, and a callback (or model.stopTraining) ends it.

import { adamUpdate, type Executor } from '@convoy/ops';
import { setAdamLoop } from '@convoy/optim';
import type { Tensor } from '@convoy/tensor';
import { checkBatchSize, checkSameRows, range, sliceRows } from './batches.js';
import {
  type BatchLogs,
  type Callback,
  type EpochLogs,
  type History,
  notify,
  type TrainBeginLogs,
} from './callbacks.js';
import { type Engine, startEngine } from './data-parallel/engine.js';
import { metricLogs } from './evaluation.js';
import type { RunContext } from './layer.js';
import { Dense } from './layers/dense.js';
import {
  checkTargets,
  isCrossEntropy,
  type LossName,
  lossGradient,
  lossValue,
  softmaxCrossEntropyGradient,
} from './losses.js';
import { forward, requireCompiled } from './run-model.js';
import type { Sequential } from './sequential.js';

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
   * Train on this thread with this executor running the layers' ops (a worker pool from
   * @convoy/ops shards each op instead); it is not closed at the end. Excludes workers > 1.
   */
  executor?: Executor;
}

/** Whether the gradient can skip the softmax: a Dense softmax output under a cross-entropy. */
function fusedSoftmax(model: Sequential, loss: LossName): Dense | undefined {
  const last = model.layers[model.layers.length - 1];
  return last instanceof Dense && last.activation === 'softmax' && isCrossEntropy(loss)
    ? last
    : undefined;
}

export interface GradientResult {
  loss: number;
  output: Tensor<'float32'>;
  /** One gradient per trainable weight, in the order of `model.trainableWeights`. */
  grads: Tensor<'float32'>[];
}

/**
 * Forward and backward over one batch, without updating anything. The output and gradients are
 * the caller's own: copies, since with `context.buffers` the layers write them into buffers they
 * reuse on the next batch (see workspace.ts).
 */
export async function computeGradients(
  model: Sequential,
  x: Tensor<'float32'>,
  y: Tensor,
  context: RunContext,
): Promise<GradientResult> {
  const { loss } = requireCompiled(model, 'computeGradients');
  model.ensureBuiltFor(x);
  const output = await forward(model, x, context);
  checkTargets(loss, output.shape, y, 'fit');
  const fused = fusedSoftmax(model, loss);
  // Keras reports the loss on the softmax output; the gradient takes the fused path through the
  // logits when it can, which is the same derivative without dividing by tiny probabilities.
  let dy = fused
    ? softmaxCrossEntropyGradient(loss, fused.lastLogits, y)
    : lossGradient(loss, output, y);
  const perLayer: Tensor<'float32'>[][] = [];
  for (let i = model.layers.length - 1; i >= 0; i--) {
    const layer = model.layers[i]!;
    const result = await layer.backward(dy, context, {
      needInputGradient: i > 0,
      gradientIsPreActivation: fused !== undefined && i === model.layers.length - 1,
    });
    perLayer[i] = result.grads;
    if (result.dx) dy = result.dx;
  }
  const grads = perLayer.flat().map((grad) => grad.clone());
  return { loss: lossValue(loss, output, y), output: output.clone(), grads };
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
  model: Sequential,
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
  const history: History = { epoch: [], history: {}, params };
  model.stopTraining = false;
  const started = performance.now();
  let firstStep: number | undefined;
  let lastStep = started;
  let stepsRun = 0;

  // Adam's update on @convoy/ops's WebAssembly loop: the same numbers bit for bit, and for the
  // textbook's model 1 (1.6M weights) about half the time of the plain loop.
  setAdamLoop(adamUpdate);
  const engine = await startEngine(model, {
    x: trainX,
    y: trainY,
    batchSize,
    replicas: workers,
    executor: options.executor,
    evaluation: validation,
  });
  try {
    if (await notify(callbacks, 'onTrainBegin', params)) model.stopTraining = true;
    let lastLogs: EpochLogs | undefined;
    for (let epoch = initialEpoch; epoch < epochs && !model.stopTraining; epoch++) {
      if (await notify(callbacks, 'onEpochBegin', epoch)) model.stopTraining = true;
      const order = range(splitAt);
      if (options.shuffle ?? true) model.trainingRng.shuffle(order);
      engine.memory.order.set(order);
      let lossSum = 0;
      let correct = 0;
      let seen = 0;
      for (let batch = 0; batch < steps && !model.stopTraining; batch++) {
        const start = batch * batchSize;
        const size = Math.min(start + batchSize, splitAt) - start;
        if (await notify(callbacks, 'onBatchBegin', batch, { epoch, batch, size }))
          model.stopTraining = true;
        firstStep ??= performance.now();
        const sums = await trainStep(
          model,
          engine,
          start,
          size,
          `epoch ${epoch + 1}, batch ${batch + 1}`,
        );
        stepsRun += 1;
        lastStep = performance.now();
        lossSum += sums.loss;
        correct += sums.correct;
        seen += size;
        const logs: BatchLogs = {
          epoch,
          batch,
          size,
          loss: 0,
          ...metricLogs(model, lossSum, correct, seen),
        };
        if (await notify(callbacks, 'onBatchEnd', batch, logs)) model.stopTraining = true;
      }
      const logs = metricLogs(model, lossSum, correct, seen);
      if (validation) Object.assign(logs, await validate(model, engine, batchSize));
      history.epoch.push(epoch);
      for (const [key, value] of Object.entries(logs)) (history.history[key] ??= []).push(value);
      lastLogs = logs;
      if (await notify(callbacks, 'onEpochEnd', epoch, logs)) model.stopTraining = true;
    }
    history.timing = {
      wallMs: performance.now() - started,
      steps: stepsRun,
      trainingMs: lastStep - (firstStep ?? lastStep),
      waitedMs: engine.waitedMs,
      replicas: engine.replicaTiming(),
    };
    await notify(callbacks, 'onTrainEnd', lastLogs);
    return history;
  } finally {
    await engine.close();
  }
}

/**
 * One optimizer step on the batch at `start` of the epoch's order; returns the batch's summed
 * loss and its correct-prediction count. A non-finite loss throws, with the weights as they were.
 */
async function trainStep(
  model: Sequential,
  engine: Engine,
  start: number,
  size: number,
  where: string,
): Promise<{ loss: number; correct: number }> {
  const optimizer = model.optimizer!;
  let outcome: Awaited<ReturnType<Engine['step']>>;
  try {
    outcome = await engine.step({
      batchStart: start,
      count: size,
      iteration: optimizer.iterations,
    });
  } catch (error) {
    throw new Error(
      `fit: ${error instanceof Error ? error.message : String(error)} (at ${where})`,
      {
        cause: error,
      },
    );
  }
  const { losses, correct } = engine.memory;
  let lossSum = 0;
  let correctCount = 0;
  for (let e = 0; e < size; e++) {
    lossSum += losses[e]!;
    correctCount += correct[e]!;
  }
  if (outcome !== 'updated') {
    const value = lossSum / size;
    throw new RangeError(
      `fit: the loss became ${value} at ${where}; try a smaller learning rate or check the inputs for NaN`,
    );
  }
  optimizer.countSteps(1);
  return { loss: lossSum, correct: model.metrics.length > 0 ? correctCount : 0 };
}

/** The validation loss and metrics, scored by the replicas: `{ val_loss, val_accuracy }`. */
async function validate(model: Sequential, engine: Engine, batchSize: number): Promise<EpochLogs> {
  await engine.evaluate(batchSize);
  const { losses, correct } = engine.memory.evaluation!;
  let lossSum = 0;
  let correctCount = 0;
  for (let e = 0; e < losses.length; e++) {
    lossSum += losses[e]!;
    correctCount += correct[e]!;
  }
  return metricLogs(model, lossSum, correctCount, losses.length, 'val_');
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
