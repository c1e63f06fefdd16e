// Test-set evaluation a batch at a time, so it can draw Keras's evaluate bar
// (`313/313 [====] - 2s 7ms/step - loss: 0.2573 - accuracy: 0.9240`) and stop on Ctrl-C.
// Summing loss and hits weighted by batch size gives exactly model.evaluate's numbers.

import type { Sequential } from '@convoy/layers';
import type { Executor } from '@convoy/ops';
import { type DType, sizeOf, Tensor, type TypedArrayFor } from '@convoy/tensor';
import { ProgressBar, type ProgressOutput } from './progress.js';

export interface TestMetrics {
  loss: number;
  accuracy: number;
}

export interface EvaluateInBatchesOptions {
  batchSize: number;
  executor: Executor;
  /** Where to draw the bar; none draws nothing. */
  output?: ProgressOutput;
  /** Checked between batches; true abandons the evaluation (the result is then undefined). */
  shouldStop?: () => boolean;
  /** Told after each batch: `step` of `steps` are done. */
  onStep?: (step: number, steps: number) => void;
}

/** Rows [start, end) along axis 0, as a view. */
function rows<D extends DType>(tensor: Tensor<D>, start: number, end: number): Tensor<D> {
  const rowSize = sizeOf(tensor.shape.slice(1));
  const data = tensor.data.subarray(start * rowSize, end * rowSize) as TypedArrayFor[D];
  return new Tensor(data, [end - start, ...tensor.shape.slice(1)], tensor.dtype);
}

/** Lets signal handlers and timers run: with an inline executor every await is a microtask. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export async function evaluateInBatches(
  model: Sequential,
  images: Tensor<'float32'>,
  labels: Tensor,
  options: EvaluateInBatchesOptions,
): Promise<TestMetrics | undefined> {
  const total = images.shape[0]!;
  const steps = Math.ceil(total / options.batchSize);
  const bar = options.output
    ? new ProgressBar({ target: steps, output: options.output })
    : undefined;
  let lossSum = 0;
  let accuracySum = 0;
  // One loop view for every batch's evaluate call: results' storage reused, not re-allocated.
  const executor = options.executor.loop();
  for (let step = 0; step < steps; step++) {
    if (step > 0) {
      await yieldToEventLoop();
      if (options.shouldStop?.()) {
        bar?.abandon();
        return undefined;
      }
    }
    const start = step * options.batchSize;
    const end = Math.min(start + options.batchSize, total);
    const logs = await model.evaluate(rows(images, start, end), rows(labels, start, end), {
      batchSize: options.batchSize,
      executor,
    });
    const count = end - start;
    lossSum += logs.loss! * count;
    accuracySum += (logs.accuracy ?? Number.NaN) * count;
    const seen = end;
    bar?.update(step + 1, [
      ['loss', lossSum / seen],
      ['accuracy', accuracySum / seen],
    ]);
    options.onStep?.(step + 1, steps);
  }
  return { loss: lossSum / total, accuracy: accuracySum / total };
}
