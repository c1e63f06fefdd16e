// What fit, evaluate and predict share: the executor a call runs on (made and closed here when
// the caller gave only a worker count), the compiled-model check, and a forward pass through
// every layer.

import { createExecutor, type Executor } from '@convoy/ops';
import type { Tensor } from '@convoy/tensor';
import type { RunContext } from './layer.js';
import type { LossName } from './losses.js';
import type { Model } from './model.js';

/** Runs `body` with the requested executor, closing it afterwards if it was made here. */
export async function withExecutor<T>(
  options: { workers?: number; executor?: Executor },
  context: string,
  body: (executor: Executor) => Promise<T>,
): Promise<T> {
  if (options.executor) return body(options.executor);
  const workers = options.workers ?? 1;
  if (!Number.isSafeInteger(workers) || workers < 1) {
    throw new RangeError(
      `${context}: workers must be a positive integer, got ${String(options.workers)}`,
    );
  }
  const executor = createExecutor({ workers });
  try {
    return await body(executor);
  } finally {
    await executor.close();
  }
}

export function requireCompiled(model: Model, context: string): { loss: LossName } {
  if (!model.loss || !model.optimizer) {
    throw new Error(
      `${context}: you must compile the model before using it: model.compile({ optimizer, loss })`,
    );
  }
  return { loss: model.loss };
}

export async function forward(
  model: Model,
  x: Tensor<'float32'>,
  context: RunContext,
): Promise<Tensor<'float32'>> {
  let activation = x;
  for (const layer of model.layers) activation = await layer.forward(activation, context);
  return activation;
}
