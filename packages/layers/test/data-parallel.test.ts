// The data-parallel engine: fit with 1, 2, 3 or 4 workers gives bit-identical weights, optimizer
// state and history (dropout and batch normalization included, and a last batch with fewer rows
// than workers); one step equals gradients-then-step up to float rounding; a failing replica
// fails fit with its error, naming the replica and the step, and the next fit works.

import { inlineExecutor } from '@convoy/ops';
import { createRng, type Tensor, zeros } from '@convoy/tensor';
import { afterEach, describe, expect, it } from 'vitest';
import { injectReplicaFault } from '../src/data-parallel/faults.js';
import {
  batchNormalization,
  computeGradients,
  conv2d,
  dense,
  dropout,
  flatten,
  type History,
  input,
  Layer,
  maxPooling2d,
  type Sequential,
  sequential,
} from '../src/index.js';
import { TOY_CLASSES, TOY_SIZE, toyImages } from './helpers/toy.js';

/** Model 1 of the textbook in miniature, optionally with dropout and batch normalization. */
function miniModel(options: { extras?: boolean } = {}): Sequential {
  const model = sequential(
    [
      input({ shape: [TOY_SIZE, TOY_SIZE, 1] }),
      conv2d({ filters: 4, kernelSize: 3, activation: 'relu', padding: 'same' }),
      conv2d({ filters: 6, kernelSize: 3, activation: 'relu', padding: 'same' }),
      ...(options.extras ? [batchNormalization()] : []),
      maxPooling2d({ poolSize: 2 }),
      flatten(),
      dense({ units: 8, activation: 'relu' }),
      ...(options.extras ? [dropout({ rate: 0.25 })] : []),
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

interface Run {
  weights: number[][];
  slots: unknown;
  history: History['history'];
}

async function train(workers: number, extras: boolean, batchSize: number): Promise<Run> {
  // 50 examples, 40 to train (the last batch of each epoch has 40 mod batchSize rows), 10 to
  // validate.
  const { x, y } = toyImages(50, 7);
  const model = miniModel({ extras });
  const { history } = await model.fit(x, y, {
    epochs: 2,
    batchSize,
    workers,
    validationSplit: 0.2,
  });
  return {
    weights: model.getWeights().map((w) => Array.from(w.data)),
    slots: model.optimizer!.getState(),
    history,
  };
}

describe('fit on the data-parallel engine', () => {
  it.each([
    ['conv, pool and dense layers', false, 16],
    ['batch normalization and dropout too, and a last batch of 8 rows', true, 16],
    ['batches of 3 rows (the last of 1) for up to 4 workers', false, 3],
  ])(
    'gives bit-identical weights, Adam state and history on 1, 2, 3 and 4 workers: %s',
    async (_, extras, batchSize) => {
      const one = await train(1, extras, batchSize);
      for (const workers of [2, 3, 4]) {
        const many = await train(workers, extras, batchSize);
        expect(many.weights, `${workers} workers`).toEqual(one.weights);
        expect(many.slots, `${workers} workers`).toEqual(one.slots);
        expect(many.history, `${workers} workers`).toEqual(one.history);
      }
      // Training moved the weights: the comparison is not between untouched models.
      const untouched = miniModel({ extras }).getWeights()[0]!.data;
      expect(one.weights[0]).not.toEqual(Array.from(untouched));
    },
  );

  it('takes the step of computeGradients then optimizer.step, up to float32 rounding', async () => {
    const { x, y } = toyImages(16, 4);
    const engine = miniModel();
    const plain = miniModel();
    await engine.fit(x, y, { epochs: 1, batchSize: 16, shuffle: false });
    const context = { training: true, executor: inlineExecutor(), rng: createRng(0) };
    const { grads } = await computeGradients(plain, x, y, context);
    plain.optimizer!.step(
      plain.trainableWeights.map((w, i) => ({ param: w.value, grad: grads[i]! })),
    );
    const a = engine.getWeights();
    const b = plain.getWeights();
    // Adam's first step moves each weight by about lr·sign(g): a rounding difference in g moves
    // it by far less unless g is within rounding of zero, so compare the moves.
    const start = miniModel().getWeights();
    a.forEach((weight, i) => {
      let worst = 0;
      for (let j = 0; j < weight.size; j++) {
        const moveA = weight.data[j]! - start[i]!.data[j]!;
        const moveB = b[i]!.data[j]! - start[i]!.data[j]!;
        worst = Math.max(worst, Math.abs(moveA - moveB));
      }
      expect(worst, `weight ${i}`).toBeLessThan(2e-5);
    });
  });
});

describe('data-parallel faults', () => {
  afterEach(() => {
    injectReplicaFault(undefined);
  });

  it.each(['throw', 'exit'] as const)(
    'a replica that fails (%s) fails fit with its error, naming the replica and step; the next fit works',
    async (kind) => {
      const { x, y } = toyImages(64, 9);
      const model = miniModel();
      injectReplicaFault({ replica: 1, iteration: 2, kind });
      const failed = model.fit(x, y, { epochs: 1, batchSize: 16, workers: 2 });
      const pattern =
        kind === 'throw'
          ? /^fit: replica 1 failed: injected fault in replica 1 at iteration 2 \(at epoch 1, batch 3\)$/
          : /^fit: replica 1 failed: .* \(at epoch 1, batch 3\)$/;
      await expect(failed).rejects.toThrow(pattern);
      // The two steps before the fault were taken, the third was not.
      expect(model.optimizer!.iterations).toBe(2);
      injectReplicaFault(undefined);
      const history = await model.fit(x, y, { epochs: 1, batchSize: 16, workers: 2 });
      expect(history.history.loss).toHaveLength(1);
      expect(model.optimizer!.iterations).toBe(6);
    },
  );

  it('a NaN input stops fit on 2 workers before the update, the weights as the last step left them', async () => {
    const { x, y } = toyImages(32, 2);
    x.data[16 * TOY_SIZE * TOY_SIZE + 5] = Number.NaN;
    const model = miniModel();
    let afterFirst: number[][] = [];
    const fitting = model.fit(x, y, {
      epochs: 1,
      batchSize: 16,
      workers: 2,
      shuffle: false,
      callbacks: {
        onBatchEnd: () => {
          afterFirst = model.getWeights().map((w) => Array.from(w.data));
        },
      },
    });
    await expect(fitting).rejects.toThrow(
      'fit: the loss became NaN at epoch 1, batch 2; the first non-finite value is the inputs of the batch (NaN in example 0 of the batch); try a smaller learning rate or check the inputs for NaN',
    );
    expect(model.optimizer!.iterations).toBe(1);
    expect(afterFirst).toHaveLength(model.getWeights().length);
    expect(model.getWeights().map((w) => Array.from(w.data))).toEqual(afterFirst);
  });

  it('refuses a layer that cannot say how its gradients are computed, naming it', async () => {
    class Scale extends Layer {
      readonly className = 'Scale';
      readonly defaultName = 'scale';
      computeOutputShape(shape: (number | null)[]) {
        return shape;
      }
      protected override createWeights(): void {
        this.weights = [
          {
            name: 'kernel',
            value: (miniModel().getWeights()[1] as Tensor<'float32'>).clone(),
            trainable: true,
          },
        ];
      }
      async forward(x: Tensor<'float32'>) {
        return x;
      }
      async backward(dy: Tensor<'float32'>) {
        return { dx: dy, grads: [this.weights[0]!.value.clone()] };
      }
      protected layerConfig() {
        return {};
      }
    }
    const model = sequential([
      input({ shape: [4] }),
      new Scale(),
      dense({ units: 2, activation: 'softmax' }),
    ]);
    model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy' });
    await expect(
      model.fit(zeros([4, 4]), zeros([4], { dtype: 'int32' }), { workers: 2 }),
    ).rejects.toThrow(
      'fit: layer "scale" (Scale) cannot train in data-parallel replicas: it does not say how its weight gradients are computed (Layer.gradientMode)',
    );
  });
});
