// The TerminateOnNaN callback (Keras's `keras.callbacks.TerminateOnNaN`): stops training at the
// first step that goes non-finite instead of letting fit throw, and keeps the report of where —
// epoch, step, and the first layer whose output or gradient was not finite. It watches two
// things: a step whose loss is NaN or infinite (fit skipped its update and diagnosed the batch),
// and a step whose loss was finite but whose update left a weight non-finite (an overflowing
// gradient or optimizer step), found by scanning the weights after each step.

import type { BatchLogs, Callback, FitRun } from './callbacks.js';
import { type NonFiniteReport, nonFiniteReport, nonFiniteWeights } from './non-finite.js';

export class TerminateOnNaN implements Callback {
  /** Why the last fit stopped, or undefined when nothing went non-finite. */
  report: NonFiniteReport | undefined;
  private run: FitRun | undefined;

  onTrainBegin(_logs: unknown, run: FitRun): void {
    this.run = run;
    this.report = undefined;
  }

  onNonFinite(report: NonFiniteReport): 'stop' {
    this.report ??= report;
    return 'stop';
  }

  onBatchEnd(batch: number, logs: BatchLogs): 'stop' | undefined {
    const model = this.run?.model;
    const found = model && nonFiniteWeights(model);
    if (!found) return undefined;
    this.report ??= nonFiniteReport(logs.epoch, batch, logs.loss, found);
    return 'stop';
  }
}

/** Keras's TerminateOnNaN callback (see TerminateOnNaN). */
export function terminateOnNaN(): TerminateOnNaN {
  return new TerminateOnNaN();
}
