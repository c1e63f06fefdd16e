// The training run itself: one model.fit call with `{ workers }`, so @convoy/layers decides how
// to spread the work over threads, and callbacks that report each batch and give the worker its
// moments between steps (the weights are settled there) to look inside the model.

import type { History, Sequential } from '@convoy/layers';
import type { Tensor } from '@convoy/tensor';
import type { BatchRecord, FromModelWorker, TrainingSettings } from './protocol.js';

/**
 * How often batch records are sent: the small models finish a batch every millisecond or two, and
 * ten updates a second are plenty to read; each one is a task and a frame on the page's thread.
 */
const BATCH_MESSAGE_INTERVAL_MS = 100;

export interface TrainingHooks {
  post(message: FromModelWorker): void;
  shouldStop(): boolean;
  /** Runs after every batch: inspections and requests queued while the step ran. */
  betweenBatches(epoch: number, batch: number): Promise<void>;
  /** Runs after every epoch, before the next starts. */
  afterEpoch(epoch: number, logs: Record<string, number>): Promise<void>;
}

/** Lets queued messages (a Stop, a request) in between batches: awaiting a resolved promise would not. */
function yieldToEvents(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(undefined);
  });
}

export async function train(
  model: Sequential,
  x: Tensor,
  y: Tensor,
  settings: TrainingSettings,
  hooks: TrainingHooks,
): Promise<History> {
  let pending: BatchRecord[] = [];
  let lastSent = performance.now();
  let batchStarted = 0;
  const flush = () => {
    if (pending.length === 0) return;
    hooks.post({ type: 'batches', items: pending });
    pending = [];
    lastSent = performance.now();
  };
  try {
    return await model.fit(x, y, {
      epochs: settings.epochs,
      batchSize: settings.batchSize,
      shuffle: true,
      workers: settings.workers,
      callbacks: {
        onBatchBegin: () => {
          batchStarted = performance.now();
        },
        onBatchEnd: async (batch, logs) => {
          pending.push({
            epoch: logs.epoch,
            batch,
            loss: logs.loss,
            accuracy: logs.accuracy ?? Number.NaN,
            milliseconds: performance.now() - batchStarted,
          });
          if (performance.now() - lastSent >= BATCH_MESSAGE_INTERVAL_MS) flush();
          await yieldToEvents();
          await hooks.betweenBatches(logs.epoch, batch);
          return hooks.shouldStop() ? 'stop' : undefined;
        },
        onEpochEnd: async (epoch, logs) => {
          flush();
          await hooks.afterEpoch(epoch, logs);
        },
      },
    });
  } finally {
    flush();
  }
}
