// Evaluation and prediction for a Sequential model: forward passes in batches (on the calling
// thread or a worker pool), the loss and metrics averaged as Keras reports them, or the outputs
// gathered into one tensor.

import type { Executor } from '@convoy/ops';
import { sizeOf, Tensor } from '@convoy/tensor';
import { checkBatchSize, checkSameRows, sliceRows } from './batches.js';
import type { EpochLogs } from './callbacks.js';
import type { RunContext } from './layer.js';
import { checkTargets, correctCount, lossValue } from './losses.js';
import type { Model } from './model.js';
import { forward, requireCompiled, withExecutor } from './run-model.js';
import { RunBuffers } from './workspace.js';

export interface EvaluateOptions {
  batchSize?: number;
  workers?: number;
  executor?: Executor;
  /**
   * The layers' buffers to reuse (see workspace.ts): by default each call has its own; a loop
   * that calls evaluate or predict a batch at a time passes one RunBuffers to every call so the
   * buffers outlive the call. Never share one between calls that run at the same time.
   */
  buffers?: RunBuffers;
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
  buffers = new RunBuffers(),
): Promise<EpochLogs> {
  const { loss } = requireCompiled(model, 'evaluate');
  checkSameRows(x, y, 'evaluate');
  model.ensureBuiltFor(x);
  const context: RunContext = { training: false, executor, rng: model.trainingRng, buffers };
  const total = x.shape[0]!;
  let lossSum = 0;
  let correct = 0;
  for (let start = 0; start < total; start += batchSize) {
    const end = Math.min(start + batchSize, total);
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
    evaluateWith(model, x, y, batchSize, executor, '', options.buffers),
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
    const buffers = options.buffers ?? new RunBuffers();
    const context: RunContext = { training: false, executor, rng: model.trainingRng, buffers };
    const total = x.shape[0]!;
    const outputShape = [total, ...(model.outputShape!.slice(1) as number[])];
    const rowSize = sizeOf(outputShape.slice(1));
    const out = new Float32Array(total * rowSize);
    for (let start = 0; start < total; start += batchSize) {
      const end = Math.min(start + batchSize, total);
      const output = await forward(model, sliceRows(x as Tensor<'float32'>, start, end), context);
      out.set(output.data, start * rowSize);
    }
    return new Tensor(out, outputShape, 'float32');
  });
}
