// Evaluation and prediction for a Sequential model: forward passes in batches (on the calling
// thread or worker threads), the loss and metrics averaged as Keras reports them, or the outputs
// gathered into one tensor.

import type { Executor } from '@convoy/ops';
import { sizeOf, Tensor } from '@convoy/tensor';
import { checkBatchSize, checkSameRows, sliceRows } from './batches.js';
import type { EpochLogs } from './callbacks.js';
import type { RunContext } from './layer.js';
import { checkTargets, correctCount, lossValue } from './losses.js';
import type { Model } from './model.js';
import { forward, requireCompiled, withExecutor } from './run-model.js';

export interface EvaluateOptions {
  batchSize?: number;
  workers?: number;
  /**
   * What computes the layers' kernels. Each call reuses its results' storage from batch to batch
   * (Executor.loop); a caller that calls evaluate or predict a batch at a time passes one loop
   * view (`executor.loop()`) to every call so the storage outlives the calls. Never give one view
   * to calls that run at the same time.
   */
  executor?: Executor;
}

export type PredictOptions = EvaluateOptions;

/** The epoch-style logs of summed loss and correct counts: `{ loss, accuracy }`, prefixed. */
export function metricLogs(
  model: Model,
  lossSum: number,
  correct: number,
  count: number,
  prefix = '',
): EpochLogs {
  const logs: EpochLogs = { [`${prefix}loss`]: count === 0 ? 0 : lossSum / count };
  for (const metric of model.metrics)
    logs[`${prefix}${metric}`] = count === 0 ? 0 : correct / count;
  return logs;
}

export async function evaluateWith(
  model: Model,
  x: Tensor,
  y: Tensor,
  batchSize: number,
  executor: Executor,
  prefix = '',
): Promise<EpochLogs> {
  const { loss } = requireCompiled(model, 'evaluate');
  checkSameRows(x, y, 'evaluate');
  model.ensureBuiltFor(x);
  const loop = executor.loop();
  const context: RunContext = { training: false, executor: loop, rng: model.trainingRng };
  const total = x.shape[0]!;
  let lossSum = 0;
  let correct = 0;
  for (let start = 0; start < total; start += batchSize) {
    const end = Math.min(start + batchSize, total);
    loop.step();
    const output = await forward(model, sliceRows(x as Tensor<'float32'>, start, end), context);
    const yb = sliceRows(y, start, end);
    checkTargets(loss, output.shape, yb, 'evaluate');
    lossSum += lossValue(loss, output, yb) * (end - start);
    if (model.metrics.length > 0) correct += correctCount(loss, output, yb);
  }
  return metricLogs(model, lossSum, correct, total, prefix);
}

/** The loss and metrics over a whole dataset, in batches: `{ loss, accuracy }`. */
export async function evaluate(
  model: Model,
  x: Tensor,
  y: Tensor,
  options: EvaluateOptions = {},
): Promise<EpochLogs> {
  const batchSize = checkBatchSize(options.batchSize, 'evaluate');
  return withExecutor(options, 'evaluate', (executor) =>
    evaluateWith(model, x, y, batchSize, executor),
  );
}

/** The model's outputs for every example, computed in batches. */
export async function predict(
  model: Model,
  x: Tensor,
  options: PredictOptions = {},
): Promise<Tensor<'float32'>> {
  const batchSize = checkBatchSize(options.batchSize, 'predict');
  model.ensureBuiltFor(x);
  return withExecutor(options, 'predict', async (executor) => {
    const loop = executor.loop();
    const context: RunContext = { training: false, executor: loop, rng: model.trainingRng };
    const total = x.shape[0]!;
    const outputShape = [total, ...(model.outputShape!.slice(1) as number[])];
    const rowSize = sizeOf(outputShape.slice(1));
    const out = new Float32Array(total * rowSize);
    for (let start = 0; start < total; start += batchSize) {
      const end = Math.min(start + batchSize, total);
      loop.step();
      const output = await forward(model, sliceRows(x as Tensor<'float32'>, start, end), context);
      out.set(output.data, start * rowSize);
    }
    return new Tensor(out, outputShape, 'float32');
  });
}
