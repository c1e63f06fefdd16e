// What fit reports and how it can be stopped: Keras-style callbacks that receive plain numbers,
// and the History fit returns.

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

export interface Callback {
  onTrainBegin?(logs: TrainBeginLogs): CallbackResult;
  onEpochBegin?(epoch: number): CallbackResult;
  onBatchBegin?(
    batch: number,
    logs: { epoch: number; batch: number; size: number },
  ): CallbackResult;
  onBatchEnd?(batch: number, logs: BatchLogs): CallbackResult;
  onEpochEnd?(epoch: number, logs: EpochLogs): CallbackResult;
  onTrainEnd?(logs: EpochLogs | undefined): CallbackResult;
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
  /** Training steps run. */
  steps: number;
  /**
   * From the start of the first step to the end of the last (epoch ends, callbacks and
   * validation between them included; starting the replicas is not).
   */
  trainingMs: number;
  /**
   * Time the calling thread spent waiting for worker replicas; the rest of wallMs it was busy
   * (starting steps, callbacks, validation). 0 when the one replica runs on this thread.
   */
  waitedMs: number;
  /**
   * Per replica, milliseconds summed over the steps: its rows' forward and backward, waiting at
   * the barrier for the other replicas, and reducing and updating its range of the parameters.
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
