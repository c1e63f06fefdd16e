// What fit reports and how it can be stopped: Keras-style callbacks that receive plain numbers,
// and the History fit returns. Callbacks can also keep a run resumable: FitRun.snapshot() is the
// run's state between two steps, onTrainRestore hands a saved one back to fit, and getState /
// setState carry a callback's own state through a checkpoint.

import type { Model } from './model.js';
import type { NonFiniteReport } from './non-finite.js';
import type { TrainingSnapshot } from './training-state.js';

export interface BatchLogs {
  epoch: number;
  batch: number;
  /** Examples in this batch. */
  size: number;
  /** Running mean of the loss over the epoch so far, weighted by batch size (as Keras shows it). */
  loss: number;
  /** Running accuracy over the epoch so far (when compiled with metrics: ['accuracy']). */
  accuracy?: number;
  [metric: string]: number | undefined;
}

/** loss and metrics over the epoch, and their `val_` twins when there is validation data. */
export type EpochLogs = Record<string, number>;

export interface TrainBeginLogs {
  epochs: number;
  /** Batches per epoch. */
  steps: number;
  samples: number;
  batchSize: number;
  validationSamples: number;
}

/** A callback may return 'stop' (or set `model.stopTraining = true`) to end training. */
// biome-ignore lint/suspicious/noConfusingVoidType: hooks written as `async () => {}` return Promise<void>.
export type CallbackResult = void | 'stop' | Promise<void | 'stop'>;

/** The run fit is in, as its callbacks see it (given to onTrainBegin). */
export interface FitRun {
  readonly model: Model;
  /**
   * The run's state now, besides the weights and the optimizer (which the model holds): taken in
   * a hook, it resumes the run from right there. A copy: later steps do not change it.
   */
  snapshot(): TrainingSnapshot;
}

/** What a callback answers when a step went non-finite: stop training, or skip the step. */
// biome-ignore lint/suspicious/noConfusingVoidType: as CallbackResult.
export type NonFiniteAction = void | 'stop' | 'skip';

export interface Callback {
  /**
   * Called before anything else, before the replicas start: a snapshot to continue from (whose
   * weights and optimizer the callback has already put into `model`), or nothing to start afresh.
   * The first callback that returns one wins; FitOptions.resumeFrom comes before them all.
   */
  onTrainRestore?(
    model: Model,
  ): TrainingSnapshot | undefined | Promise<TrainingSnapshot | undefined>;
  onTrainBegin?(logs: TrainBeginLogs, run: FitRun): CallbackResult;
  onEpochBegin?(epoch: number): CallbackResult;
  onBatchBegin?(
    batch: number,
    logs: { epoch: number; batch: number; size: number },
  ): CallbackResult;
  onBatchEnd?(batch: number, logs: BatchLogs): CallbackResult;
  onEpochEnd?(epoch: number, logs: EpochLogs): CallbackResult;
  onTrainEnd?(logs: EpochLogs | undefined): CallbackResult;
  /**
   * A step's loss was NaN or infinite (its update was skipped, the weights are as before it).
   * 'stop' ends training (the epoch is still logged), 'skip' goes on with the next batch; when no
   * callback answers either, fit throws `report.message`.
   */
  onNonFinite?(report: NonFiniteReport): NonFiniteAction | Promise<NonFiniteAction>;
  /** The callback's own state for a checkpoint (JSON: early stopping's best and wait…). */
  getState?(): unknown;
  /** Takes back what getState returned, when fit resumes from a snapshot. */
  setState?(state: unknown): void;
}

export interface History {
  /** The epochs that ran, 0-based. */
  epoch: number[];
  /** `history.loss[e]`, `history.accuracy[e]`, `history.val_loss[e]`… as Keras. */
  history: Record<string, number[]>;
  params: TrainBeginLogs;
  /** Where fit's time went (not in Keras): for profiling and the training benchmark. */
  timing?: FitTiming;
}

export interface FitTiming {
  /** From the start of fit to its end, milliseconds. */
  wallMs: number;
  /**
   * Training steps counted: all but the first, which also waits for the replicas to start (the
   * figures below leave it out too).
   */
  steps: number;
  /** From the end of the first step to the end of the last (callbacks, validation included). */
  trainingMs: number;
  /**
   * Time the calling thread spent waiting for worker replicas; the rest of wallMs it was busy
   * (starting steps, callbacks, validation). 0 when the one replica runs on this thread.
   */
  waitedMs: number;
  /**
   * Per replica, milliseconds summed over the counted steps: its rows' forward and backward,
   * waiting at the barrier for the other replicas, reducing and updating its parameter range.
   */
  replicas: { forwardBackwardMs: number; barrierMs: number; updateMs: number }[];
}

/** Calls one hook on every callback in order; true when any asked to stop. */
export async function notify<K extends keyof Callback>(
  callbacks: readonly Callback[],
  hook: K,
  ...args: Parameters<NonNullable<Callback[K]>>
): Promise<boolean> {
  let stop = false;
  for (const callback of callbacks) {
    const fn = callback[hook] as ((...a: unknown[]) => CallbackResult) | undefined;
    if (fn && (await fn.apply(callback, args)) === 'stop') stop = true;
  }
  return stop;
}
