// One timed training run of Convoy: a textbook model, `warmup + steps` batches of 32 through fit
// on `workers` data-parallel replicas, the mean ms per step over the steps after the warm-up, and
// where the time went (fit's History.timing).

import { TEXTBOOK_FIT, textbookModel } from '@convoy/layers';
import type { Tensor } from '@convoy/tensor';

export interface ConvoyRun {
  model: 1 | 2 | 3;
  workers: number;
  msPerStep: number;
  /** Share of the training time the calling thread was not waiting for replicas. */
  mainBusy: number;
  /** Per replica: share of the training time it computed (forward/backward and its update). */
  replicaBusy: number[];
  /** Per replica and step, milliseconds: forward/backward, barrier wait, reduce + update. */
  phases: { forwardBackward: number; barrier: number; update: number }[];
}

export async function runConvoy(
  which: 1 | 2 | 3,
  workers: number,
  data: { x: Tensor<'float32'>; y: Tensor },
  warmup: number,
  steps: number,
): Promise<ConvoyRun> {
  const model = textbookModel(which, { seed: 0 });
  let seen = 0;
  let started = 0;
  const history = await model.fit(data.x, data.y, {
    epochs: 1,
    batchSize: TEXTBOOK_FIT.batchSize,
    shuffle: false,
    workers,
    callbacks: {
      onBatchEnd: () => {
        seen += 1;
        if (seen === warmup) started = performance.now();
        if (seen === warmup + steps) return 'stop';
        return undefined;
      },
    },
  });
  const elapsed = performance.now() - started;
  const timing = history.timing!;
  return {
    model: which,
    workers,
    msPerStep: elapsed / steps,
    mainBusy: 1 - timing.waitedMs / timing.trainingMs,
    replicaBusy: timing.replicas.map((r) => (r.forwardBackwardMs + r.updateMs) / timing.trainingMs),
    phases: timing.replicas.map((r) => ({
      forwardBackward: r.forwardBackwardMs / timing.steps,
      barrier: r.barrierMs / timing.steps,
      update: r.updateMs / timing.steps,
    })),
  };
}
