// fit updates each layer's weights as soon as its gradients exist (overlapping the next layer's
// backward on the pool). That must give exactly the weights and optimizer state of the plain
// order — all gradients first, then one optimizer.step — on one thread and on a worker pool.

import { createPool, type Executor, inlineExecutor } from '@convoy/ops';
import { createRng, Tensor } from '@convoy/tensor';
import { describe, expect, it } from 'vitest';
import {
  computeGradients,
  conv2d,
  dense,
  flatten,
  input,
  maxPooling2d,
  type Sequential,
  sequential,
} from '../src/index.js';
import { TOY_CLASSES, TOY_SIZE, toyImages } from './helpers/toy.js';

/** Model 1 of the textbook in miniature: two ReLU convolutions, a 2x2 pool, two dense layers. */
function miniModelOne(): Sequential {
  const model = sequential(
    [
      input({ shape: [TOY_SIZE, TOY_SIZE, 1] }),
      conv2d({ filters: 4, kernelSize: 3, activation: 'relu', padding: 'same' }),
      conv2d({ filters: 6, kernelSize: 3, activation: 'relu', padding: 'same' }),
      maxPooling2d({ poolSize: 2 }),
      flatten(),
      dense({ units: 8, activation: 'relu' }),
      dense({ units: TOY_CLASSES, activation: 'softmax' }),
    ],
    { seed: 31 },
  );
  model.compile({
    optimizer: { name: 'Adam', learning_rate: 0.01, decay: 0 },
    loss: 'sparse_categorical_crossentropy',
    metrics: ['accuracy'],
  });
  return model;
}

/** Examples start..end of a batch-first tensor, as fit's batches cut them (shuffle off). */
function slice<T extends Tensor>(t: T, start: number, end: number): T {
  const perItem = t.size / t.shape[0]!;
  return new Tensor(
    t.data.slice(start * perItem, end * perItem),
    [end - start, ...t.shape.slice(1)],
    t.dtype,
  ) as T;
}

/** The plain order: computeGradients for the whole batch, then one optimizer.step. */
async function trainPlainly(
  model: Sequential,
  x: Tensor<'float32'>,
  y: Tensor,
  batchSize: number,
  executor: Executor,
): Promise<void> {
  const context = { training: true, executor, rng: createRng(0) };
  for (let start = 0; start < x.shape[0]!; start += batchSize) {
    const end = Math.min(start + batchSize, x.shape[0]!);
    const { grads } = await computeGradients(
      model,
      slice(x, start, end),
      slice(y, start, end),
      context,
    );
    model.optimizer!.step(
      model.trainableWeights.map((w, i) => ({ param: w.value, grad: grads[i]! })),
    );
  }
}

describe.each([
  ['one thread', () => inlineExecutor()],
  ['a worker pool sharding every call', () => createPool({ workers: 2, inlineFlopThreshold: 0 })],
])('fit with per-layer updates on %s', (_, makeExecutor) => {
  it('ends with exactly the weights and Adam state of gradients-then-step', async () => {
    const { x, y } = toyImages(40, 3);
    const overlapped = miniModelOne();
    const plain = miniModelOne();
    const executor = makeExecutor();
    try {
      await overlapped.fit(x, y, { epochs: 1, batchSize: 16, shuffle: false, executor });
      await trainPlainly(plain, x, y, 16, executor);
    } finally {
      await executor.close();
    }
    expect(overlapped.optimizer!.iterations).toBe(3);
    const a = overlapped.getWeights();
    const b = plain.getWeights();
    a.forEach((weight, i) => {
      expect(weight.data).toEqual(b[i]!.data);
    });
    expect(overlapped.optimizer!.getState()).toEqual(plain.optimizer!.getState());
    // Training moved the weights: the comparison is not between two untouched models.
    expect(a[0]!.data).not.toEqual(miniModelOne().getWeights()[0]!.data);
  });
});
