// What fit asks of the data-parallel engine, batch by batch: one step with its summed loss and
// correct count, the validation data scored, and where the time went.

import type { EpochLogs, FitTiming } from './callbacks.js';
import type { Engine } from './data-parallel/engine.js';
import { metricLogs } from './evaluation.js';
import type { Model } from './model.js';

/**
 * One optimizer step on the batch at `start` of the epoch's order: the batch's summed loss and
 * its correct-prediction count, or its mean loss when that was not finite (the update was then
 * skipped on every replica, the weights are as they were).
 */
export async function trainStep(
  model: Model,
  engine: Engine,
  start: number,
  size: number,
  where: string,
): Promise<
  { kind: 'updated'; loss: number; correct: number } | { kind: 'non-finite'; loss: number }
> {
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
  if (outcome !== 'updated') return { kind: 'non-finite', loss: lossSum / size };
  optimizer.countSteps(1);
  return {
    kind: 'updated',
    loss: lossSum,
    correct: model.metrics.length > 0 ? correctCount : 0,
  };
}

/** The validation loss and metrics, scored by the replicas: `{ val_loss, val_accuracy }`. */
export async function validate(
  model: Model,
  engine: Engine,
  batchSize: number,
): Promise<EpochLogs> {
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

/** History.timing: the steps after the first, and fit's whole wall time. */
export function fitTiming(
  engine: Engine,
  started: number,
  lastStep: number,
  steps: number,
  first: { at: number; waitedMs: number; replicas: FitTiming['replicas'] } | undefined,
): FitTiming {
  const replicas = engine.replicaTiming().map((replica, i) => {
    const before = first?.replicas[i];
    return {
      forwardBackwardMs: replica.forwardBackwardMs - (before?.forwardBackwardMs ?? 0),
      barrierMs: replica.barrierMs - (before?.barrierMs ?? 0),
      updateMs: replica.updateMs - (before?.updateMs ?? 0),
    };
  });
  return {
    wallMs: performance.now() - started,
    steps,
    trainingMs: first ? lastStep - first.at : 0,
    waitedMs: engine.waitedMs - (first?.waitedMs ?? 0),
    replicas,
  };
}
