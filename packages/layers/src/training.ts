// Training for a Sequential model. One step: forward through every
// layer, loss and its gradient, backward through every layer in reverse, one optimizer update.
// fit prints nothing: progress goes to callbacks, and a callback (or model.stopTraining) ends it.

import { adamUpdate, type Executor } from '@convoy/ops';
import { setAdamLoop } from '@convoy/optim';
import { canShareMemory, type Tensor } from '@convoy/tensor';
import { checkBatchSize, checkSameRows, gatherRows, range, sliceRows } from './batches.js';
import {
  type BatchLogs,
  type Callback,
  type EpochLogs,
  type History,
  notify,
  type TrainBeginLogs,
} from './callbacks.js';
import { evaluateWith, metricLogs } from './evaluation.js';
import type { RunContext } from './layer.js';
import { Dense } from './layers/dense.js';
import {
  checkTargets,
  correctCount,
  isCrossEntropy,
  type LossName,
  lossGradient,
  lossValue,
  softmaxCrossEntropyGradient,
} from './losses.js';
import { forward, requireCompiled, withExecutor } from './run-model.js';
import type { Sequential } from './sequential.js';
import { RunBuffers } from './workspace.js';

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
  /** 1 (default) runs on this thread; more starts a worker pool of that size for this fit. */
  workers?: number;
  /** Use this executor instead (it is not closed at the end). */
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

/**
 * One optimizer update from one batch; returns the batch's loss and correct-prediction count.
 * A non-finite loss throws before the update, so the weights stay as they were.
 *
 * The same numbers as computeGradients followed by optimizer.step, but each layer's weights are
 * updated as soon as its gradients exist, while the backward of the next layer with weights runs
 * on the worker pool: the update (1.6M weights for the textbook's first model) then overlaps the
 * pool's work instead of adding to it. Safe because a layer's backward reads only its own weights,
 * and a layer's update only starts after its backward is done.
 */
async function trainBatch(
  model: Sequential,
  x: Tensor<'float32'>,
  y: Tensor,
  context: RunContext,
  where: string,
): Promise<{ loss: number; correct: number }> {
  const { loss } = requireCompiled(model, 'fit');
  model.ensureBuiltFor(x);
  const output = await forward(model, x, context);
  checkTargets(loss, output.shape, y, 'fit');
  const lossAtBatch = lossValue(loss, output, y);
  if (!Number.isFinite(lossAtBatch)) {
    throw new RangeError(
      `fit: the loss became ${lossAtBatch} at ${where}; try a smaller learning rate or check the inputs for NaN`,
    );
  }
  const fused = fusedSoftmax(model, loss);
  let dy = fused
    ? softmaxCrossEntropyGradient(loss, fused.lastLogits, y)
    : lossGradient(loss, output, y);
  const step = model.optimizer!.beginStep(model.trainableWeights.map((weight) => weight.value));
  // Where each layer's weights start in model.trainableWeights.
  const firstPosition: number[] = [];
  model.layers.reduce((position, layer, i) => {
    firstPosition[i] = position;
    return position + layer.trainableWeights.length;
  }, 0);
  let ready: { position: number; grads: Tensor<'float32'>[] }[] = [];
  const applyReady = () => {
    for (const { position, grads } of ready) {
      grads.forEach((grad, k) => {
        step.update(position + k, grad);
      });
    }
    ready = [];
  };
  for (let i = model.layers.length - 1; i >= 0; i--) {
    const layer = model.layers[i]!;
    const pending = layer.backward(dy, context, {
      needInputGradient: i > 0,
      gradientIsPreActivation: fused !== undefined && i === model.layers.length - 1,
    });
    // Layers with weights are the ones whose backward waits on the executor: update the
    // previous layers' weights while it does.
    if (layer.trainableWeights.length > 0) applyReady();
    const result = await pending;
    if (result.grads.length > 0) ready.push({ position: firstPosition[i]!, grads: result.grads });
    if (result.dx) dy = result.dx;
  }
  applyReady();
  step.end();
  return {
    loss: lossAtBatch,
    correct: model.metrics.length > 0 ? correctCount(model.loss!, output, y) : 0,
  };
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
  requireCompiled(model, 'fit');
  const { epochs, initialEpoch, validationSplit } = checkFitOptions(options);
  const batchSize = checkBatchSize(options.batchSize, 'fit');
  checkSameRows(x, y, 'fit');
  model.ensureBuiltFor(x);
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

  // Adam's update on @convoy/ops's WebAssembly loop: the same numbers bit for bit, and for the
  // textbook's model 1 (1.6M weights) about half the time of the plain loop.
  setAdamLoop(adamUpdate);
  return withExecutor(options, 'fit', async (executor) => {
    const buffers = new RunBuffers();
    const context: RunContext = { training: true, executor, rng: model.trainingRng, buffers };
    const shared = executor.workers > 1 && canShareMemory();
    if (await notify(callbacks, 'onTrainBegin', params)) model.stopTraining = true;
    let lastLogs: EpochLogs | undefined;
    for (let epoch = initialEpoch; epoch < epochs && !model.stopTraining; epoch++) {
      if (await notify(callbacks, 'onEpochBegin', epoch)) model.stopTraining = true;
      const order = range(splitAt);
      if (options.shuffle ?? true) model.trainingRng.shuffle(order);
      let lossSum = 0;
      let correct = 0;
      let seen = 0;
      for (let batch = 0; batch < steps && !model.stopTraining; batch++) {
        const start = batch * batchSize;
        const end = Math.min(start + batchSize, splitAt);
        const size = end - start;
        if (await notify(callbacks, 'onBatchBegin', batch, { epoch, batch, size }))
          model.stopTraining = true;
        const xb = gatherRows(trainX as Tensor<'float32'>, order, start, end, shared);
        const yb = gatherRows(trainY, order, start, end);
        const where = `epoch ${epoch + 1}, batch ${batch + 1}`;
        const result = await trainBatch(model, xb, yb, context, where);
        lossSum += result.loss * size;
        correct += result.correct;
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
      if (validation) {
        Object.assign(
          logs,
          await evaluateWith(model, validation[0], validation[1], batchSize, executor, 'val_'),
        );
      }
      history.epoch.push(epoch);
      for (const [key, value] of Object.entries(logs)) (history.history[key] ??= []).push(value);
      lastLogs = logs;
      if (await notify(callbacks, 'onEpochEnd', epoch, logs)) model.stopTraining = true;
    }
    await notify(callbacks, 'onTrainEnd', lastLogs);
    return history;
  });
}
