// One epoch of convoy-train's training: one fit call (from a checkpoint's step when resuming)
// whose callbacks draw the progress bar, stop at Ctrl-C after saving a checkpoint of that very
// step, save the --checkpoint-every checkpoints, and deal with a non-finite step: stop there
// (TerminateOnNaN, the default) or skip it (--no-stop-on-nan).

import {
  type BatchLogs,
  type Callback,
  type FitRun,
  type NonFiniteReport,
  type Sequential,
  TerminateOnNaN,
  type TrainingSnapshot,
} from '@convoy/layers';
import type { Tensor } from '@convoy/tensor';
import type { CheckpointEvery } from './checkpoint-every.js';
import { yieldToEventLoop } from './evaluation.js';
import type { MetricValues, ProgressBar } from './progress.js';

export interface EpochSetup {
  model: Sequential;
  images: Tensor<'float32'>;
  labels: Tensor;
  batchSize: number;
  workers: number;
  /** The epoch (1-based, as printed) and its steps. */
  epoch: number;
  steps: number;
  /** Continue the epoch from here (a checkpoint's), or start it afresh. */
  resumeFrom: TrainingSnapshot | undefined;
  /** Training seconds this epoch already took before the checkpoint it resumes. */
  secondsBefore: number;
  bar: ProgressBar;
  checkpointEvery: CheckpointEvery | undefined;
  stopOnNan: boolean;
  interrupted: () => boolean;
  /** Told after each step of the epoch, with the steps done. */
  onStep?: (step: number) => void;
  /** Saves a checkpoint of the run at `snapshot` (between two steps of this epoch). */
  save: (snapshot: TrainingSnapshot, seconds: number) => Promise<void>;
  note: (text: string) => void;
}

export type EpochOutcome =
  | { kind: 'trained'; loss: number; accuracy: number; seconds: number }
  | { kind: 'interrupted'; step: number }
  | { kind: 'non-finite'; report: NonFiniteReport };

function metricsOf(logs: { loss: number; accuracy?: number }): MetricValues {
  return logs.accuracy === undefined
    ? [['loss', logs.loss]]
    : [
        ['loss', logs.loss],
        ['accuracy', logs.accuracy],
      ];
}

/** What went non-finite, in the trainer's numbering (epochs from 1, steps of the epoch). */
export function describeNonFinite(report: NonFiniteReport, epoch: number, steps: number): string {
  const at = `epoch ${epoch}, step ${report.batch + 1}/${steps}`;
  return report.kind === 'weights' && Number.isFinite(report.loss)
    ? `the update at ${at} made ${report.finding} non-finite (its gradient or the optimizer's step overflowed)`
    : `the loss became ${report.loss} at ${at}; the first non-finite value is ${report.finding}`;
}

export async function trainEpoch(setup: EpochSetup): Promise<EpochOutcome> {
  const started = performance.now();
  const seconds = () => setup.secondsBefore + (performance.now() - started) / 1000;
  const terminate = setup.stopOnNan ? new TerminateOnNaN() : undefined;
  const onNonFinite: Callback = terminate ?? {
    onNonFinite: (report) => {
      setup.note(
        `Skipped a step: ${describeNonFinite(report, setup.epoch, setup.steps)} (--no-stop-on-nan).`,
      );
      return 'skip';
    },
  };
  let run: FitRun | undefined;
  let interruptedAt: number | undefined;
  let stepsSinceSave = 0;
  let lastSave = performance.now();
  const every = setup.checkpointEvery;
  const trainer: Callback = {
    onTrainBegin: (_logs, fitRun) => {
      run = fitRun;
    },
    onBatchEnd: async (batch: number, logs: BatchLogs) => {
      // A step that left non-finite weights is never checkpointed: the last checkpoint stays.
      if (terminate?.report) return 'stop';
      setup.bar.update(batch + 1, metricsOf(logs));
      setup.onStep?.(batch + 1);
      await yieldToEventLoop();
      if (setup.interrupted()) {
        await setup.save(run!.snapshot(), seconds());
        interruptedAt = batch + 1;
        return 'stop';
      }
      stepsSinceSave += 1;
      const due =
        every !== undefined &&
        ('steps' in every
          ? stepsSinceSave >= every.steps
          : performance.now() - lastSave >= every.seconds * 1000);
      if (due && batch + 1 < setup.steps) {
        await setup.save(run!.snapshot(), seconds());
        stepsSinceSave = 0;
        lastSave = performance.now();
      }
      return undefined;
    },
  };
  const history = await setup.model.fit(setup.images, setup.labels, {
    epochs: 1,
    batchSize: setup.batchSize,
    shuffle: true,
    // Data-parallel replicas on that many threads (an ops executor scores the test set).
    workers: setup.workers,
    resumeFrom: setup.resumeFrom,
    callbacks: [onNonFinite, trainer],
  });
  if (terminate?.report) {
    setup.bar.abandon();
    return { kind: 'non-finite', report: terminate.report };
  }
  if (interruptedAt !== undefined) {
    setup.bar.abandon();
    return { kind: 'interrupted', step: interruptedAt };
  }
  const loss = history.history.loss?.[0] ?? Number.NaN;
  const accuracy = history.history.accuracy?.[0];
  // A resumed epoch whose steps were all done before the checkpoint draws its line here.
  setup.bar.update(setup.steps, metricsOf({ loss, accuracy }));
  return { kind: 'trained', loss, accuracy: accuracy ?? Number.NaN, seconds: seconds() };
}
