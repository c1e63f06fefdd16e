// fit, evaluate and predict: a small CNN learns a separable toy task; the worker pool gives the
// same weights as one thread; callbacks see Keras's numbers and can stop training.

import { createWorkerExecutor, inlineExecutor } from '@convoy/ops';
import { createRng, Tensor } from '@convoy/tensor';
import { describe, expect, it } from 'vitest';
import {
  type BatchLogs,
  computeGradients,
  conv2d,
  dense,
  dropout,
  type EpochLogs,
  flatten,
  input,
  maxPooling2d,
  type RunContext,
  sequential,
} from '../src/index.js';
import { TOY_CLASSES, TOY_SIZE, toyImages } from './helpers/toy.js';

function toyModel(seed: number, withDropout = false) {
  const model = sequential(
    [
      input({ shape: [TOY_SIZE, TOY_SIZE, 1] }),
      conv2d({ filters: 4, kernelSize: 3, activation: 'relu', padding: 'same' }),
      maxPooling2d({ poolSize: 2 }),
      flatten(),
      ...(withDropout ? [dropout({ rate: 0.2 })] : []),
      dense({ units: TOY_CLASSES, activation: 'softmax' }),
    ],
    { seed },
  );
  model.compile({
    optimizer: { name: 'Adam', learning_rate: 0.01, decay: 0 },
    loss: 'sparse_categorical_crossentropy',
    metrics: ['accuracy'],
  });
  return model;
}

function maxAbsDifference(a: readonly Tensor[], b: readonly Tensor[]): number {
  let worst = 0;
  a.forEach((t, i) => {
    for (let j = 0; j < t.size; j++) worst = Math.max(worst, Math.abs(t.data[j]! - b[i]!.data[j]!));
  });
  return worst;
}

describe('fit on a separable toy image task', () => {
  it('loss goes down and accuracy up, on training and validation data, with a fixed seed', async () => {
    const { x, y } = toyImages(240, 1);
    const model = toyModel(3, true);
    const before = await model.evaluate(x, y);
    const history = await model.fit(x, y, { epochs: 6, batchSize: 16, validationSplit: 0.2 });
    expect(history.epoch).toEqual([0, 1, 2, 3, 4, 5]);
    expect(Object.keys(history.history).sort()).toEqual([
      'accuracy',
      'loss',
      'val_accuracy',
      'val_loss',
    ]);
    const { loss, accuracy, val_accuracy } = history.history as Record<string, number[]>;
    expect(loss![5]!).toBeLessThan(loss![0]! * 0.7);
    expect(accuracy![5]!).toBeGreaterThan(0.9);
    expect(val_accuracy![5]!).toBeGreaterThan(0.9);
    const after = await model.evaluate(x, y, { batchSize: 50 });
    expect(after.loss!).toBeLessThan(before.loss! * 0.5);
    expect(after.accuracy!).toBeGreaterThan(0.9);
    expect(before.accuracy!).toBeLessThan(0.7);
  });

  it('validationData is scored after each epoch as evaluate() scores it', async () => {
    const train = toyImages(48, 11);
    const held = toyImages(15, 12);
    const model = toyModel(5);
    const history = await model.fit(train.x, train.y, {
      epochs: 2,
      batchSize: 16,
      validationData: [held.x, held.y],
    });
    expect(history.params.samples).toBe(48);
    expect(history.params.validationSamples).toBe(15);
    const scores = await model.evaluate(held.x, held.y, { batchSize: 16 });
    expect(history.history.val_loss![1]).toBeCloseTo(scores.loss!, 10);
    expect(history.history.val_accuracy![1]).toBe(scores.accuracy);
  });

  it('is reproducible: the same seed gives the same history', async () => {
    const { x, y } = toyImages(64, 2);
    const run = async () =>
      (await toyModel(9, true).fit(x, y, { epochs: 2, batchSize: 16 })).history;
    expect(await run()).toEqual(await run());
  });

  it('predict returns the probabilities evaluate scores, in any batch size', async () => {
    const { x, y } = toyImages(30, 4);
    const model = toyModel(1);
    await model.fit(x, y, { epochs: 2, batchSize: 8 });
    const whole = await model.predict(x, { batchSize: 30 });
    const pieces = await model.predict(x, { batchSize: 7 });
    expect(whole.shape).toEqual([30, TOY_CLASSES]);
    expect(maxAbsDifference([whole], [pieces])).toBeLessThan(1e-6);
    let loss = 0;
    let correct = 0;
    for (let i = 0; i < 30; i++) {
      const row = Array.from(whole.data.subarray(i * 3, i * 3 + 3));
      expect(row.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 5);
      loss -= Math.log(row[y.data[i]!]!);
      if (row.indexOf(Math.max(...row)) === y.data[i]) correct++;
    }
    const scores = await model.evaluate(x, y, { batchSize: 4 });
    expect(scores.loss!).toBeCloseTo(loss / 30, 5);
    expect(scores.accuracy).toBe(correct / 30);
  });
});

describe('buffers the layers reuse from batch to batch', () => {
  it('never reach the caller: predict results and computeGradients outputs survive later steps', async () => {
    const { x, y } = toyImages(20, 5);
    const model = toyModel(2);
    await model.fit(x, y, { epochs: 1, batchSize: 8 });
    const before = await model.predict(x, { batchSize: 20 });
    const kept = before.clone();
    // 20 images in batches of 8: the last batch of 4 resizes every reused buffer, twice per epoch.
    await model.fit(x, y, { epochs: 2, batchSize: 8 });
    expect(before.data).toEqual(kept.data);
    const after = await model.predict(x, { batchSize: 20 });
    expect(maxAbsDifference([after], [before])).toBeGreaterThan(0);

    const context: RunContext = {
      training: true,
      executor: inlineExecutor().loop(),
      rng: createRng(3),
    };
    const first = await computeGradients(model, x, y, context);
    const firstKept = first.grads.map((grad) => grad.clone());
    const other = toyImages(20, 6);
    const second = await computeGradients(model, other.x, other.y, context);
    expect(maxAbsDifference(second.grads, firstKept)).toBeGreaterThan(0);
    expect(maxAbsDifference(first.grads, firstKept)).toBe(0);
  });

  it('give predict, batch by batch, the outputs of one whole batch', async () => {
    const { x, y } = toyImages(20, 7);
    const model = toyModel(4);
    await model.fit(x, y, { epochs: 1, batchSize: 8 });
    const whole = await model.predict(x, { batchSize: 20 });
    // Batches of 8, 8 and 4: each overwrites the buffers the one before used.
    const batched = await model.predict(x, { batchSize: 8 });
    expect(maxAbsDifference([batched], [whole])).toBeLessThan(1e-6);
    const logs = await model.evaluate(x, y, { batchSize: 8 });
    const wholeLogs = await model.evaluate(x, y, { batchSize: 20 });
    expect(logs.loss).toBeCloseTo(wholeLogs.loss!, 5);
    expect(logs.accuracy).toBe(wholeLogs.accuracy);
  });

  it('live in a loop view handed to evaluate and predict, for a caller that calls them a batch at a time', async () => {
    const { x, y } = toyImages(16, 11);
    const model = toyModel(6);
    await model.fit(x, y, { epochs: 1, batchSize: 8 });
    const loop = inlineExecutor().loop();
    // A step of the view's own: the first layer's output on 8 images is the view's first result.
    const first8 = new Tensor(
      x.data.subarray(0, 8 * TOY_SIZE * TOY_SIZE),
      [8, TOY_SIZE, TOY_SIZE, 1],
      'float32',
    );
    const context = { training: false, executor: loop, rng: createRng(0) };
    const convOutput = (await model.layers[0]!.forward(first8, context)).data;
    convOutput.fill(Number.NaN);
    const logs = await model.evaluate(x, y, { batchSize: 8, executor: loop });
    // evaluate's first batch wrote its convolution into the view's first storage.
    expect(convOutput.some(Number.isNaN)).toBe(false);
    expect(logs).toEqual(await model.evaluate(x, y, { batchSize: 8 }));
    convOutput.fill(Number.NaN);
    const probabilities = await model.predict(x, { batchSize: 8, executor: loop });
    expect(convOutput.some(Number.isNaN)).toBe(false);
    expect(probabilities.data).toEqual((await model.predict(x, { batchSize: 8 })).data);
  });

  it("are each call's own: two predicts running at once on one model do not mix", async () => {
    const model = toyModel(5);
    await model.fit(toyImages(16, 8).x, toyImages(16, 8).y, { epochs: 1, batchSize: 8 });
    const a = toyImages(24, 9).x;
    const b = toyImages(24, 10).x;
    const alone = [
      await model.predict(a, { batchSize: 8 }),
      await model.predict(b, { batchSize: 8 }),
    ];
    // The executor's promises interleave the two passes layer by layer.
    const together = await Promise.all([
      model.predict(a, { batchSize: 8 }),
      model.predict(b, { batchSize: 8 }),
    ]);
    expect(maxAbsDifference(together, alone)).toBe(0);
  });
});

describe('fit with worker threads', () => {
  it('workers: 2 gives exactly the weights of workers: 1', async () => {
    const { x, y } = toyImages(64, 5);
    const single = toyModel(21);
    const parallel = toyModel(21);
    expect(maxAbsDifference(single.getWeights(), parallel.getWeights())).toBe(0);
    const a = await single.fit(x, y, { epochs: 1, batchSize: 16, workers: 1 });
    const b = await parallel.fit(x, y, { epochs: 1, batchSize: 16, workers: 2 });
    expect(maxAbsDifference(single.getWeights(), parallel.getWeights())).toBe(0);
    expect(b.history).toEqual(a.history);
    // Training moved the weights, so the comparison above is not between two untouched models.
    expect(maxAbsDifference(single.getWeights(), toyModel(21).getWeights())).toBeGreaterThan(1e-3);
  });

  it('a worker executor that splits every call (no inline threshold) still matches one thread', async () => {
    const { x, y } = toyImages(64, 5);
    const single = toyModel(22);
    const split = toyModel(22);
    await single.fit(x, y, { epochs: 1, batchSize: 16 });
    const executor = createWorkerExecutor({ workers: 2, inlineFlopThreshold: 0 });
    try {
      await split.fit(x, y, { epochs: 1, batchSize: 16, executor });
      // 4 steps, each: the conv forward, the dense forward and the dense input gradient go to
      // the workers (the per-example filter gradients and the dense kernel's rows run on this
      // thread: the data-parallel engine computes them, see docs/architecture.md).
      expect(executor.stats().shardedCalls).toBeGreaterThanOrEqual(12);
    } finally {
      await executor.close();
    }
    expect(maxAbsDifference(single.getWeights(), split.getWeights())).toBeLessThan(1e-5);
  });
});

describe('callbacks', () => {
  it('receive Keras numbers: running means per batch, epoch logs with validation', async () => {
    const { x, y } = toyImages(40, 6);
    const model = toyModel(2);
    const events: string[] = [];
    const batches: BatchLogs[] = [];
    const epochs: EpochLogs[] = [];
    const history = await model.fit(x, y, {
      epochs: 2,
      batchSize: 12,
      validationSplit: 0.25,
      shuffle: false,
      callbacks: {
        onTrainBegin: (logs) => {
          events.push(`train-begin ${logs.samples} ${logs.steps} ${logs.validationSamples}`);
        },
        onEpochBegin: (epoch) => {
          events.push(`epoch-begin ${epoch}`);
        },
        onBatchEnd: (_batch, logs) => {
          batches.push(logs);
        },
        onEpochEnd: (epoch, logs) => {
          events.push(`epoch-end ${epoch}`);
          epochs.push(logs);
        },
        onTrainEnd: () => {
          events.push('train-end');
        },
      },
    });
    // 30 training examples in batches of 12: 12, 12, 6.
    expect(events).toEqual([
      'train-begin 30 3 10',
      'epoch-begin 0',
      'epoch-end 0',
      'epoch-begin 1',
      'epoch-end 1',
      'train-end',
    ]);
    expect(batches.map((b) => [b.epoch, b.batch, b.size])).toEqual([
      [0, 0, 12],
      [0, 1, 12],
      [0, 2, 6],
      [1, 0, 12],
      [1, 1, 12],
      [1, 2, 6],
    ]);
    // The last running mean of an epoch is the epoch's figure.
    expect(batches[2]!.loss).toBeCloseTo(epochs[0]!.loss!, 12);
    expect(batches[5]!.accuracy).toBe(epochs[1]!.accuracy);
    // Accuracy running means are whole counts over examples seen.
    for (const b of batches) {
      const seen = b.batch === 2 ? 30 : (b.batch + 1) * 12;
      expect(Number.isInteger(Math.round(b.accuracy! * seen * 1e6) / 1e6)).toBe(true);
    }
    expect(Object.keys(epochs[0]!).sort()).toEqual([
      'accuracy',
      'loss',
      'val_accuracy',
      'val_loss',
    ]);
    expect(history.history.val_loss).toEqual(epochs.map((e) => e.val_loss));
    // The validation figures are evaluate() on the held-out last quarter, after the epoch.
    const heldOut = await model.evaluate(
      new Tensor(x.data.subarray(30 * 64), [10, 8, 8, 1], 'float32'),
      new Tensor(y.data.subarray(30), [10], 'int32'),
    );
    expect(epochs[1]!.val_loss).toBeCloseTo(heldOut.loss!, 10);
    expect(epochs[1]!.val_accuracy).toBe(heldOut.accuracy);
  });

  it("a callback returning 'stop' ends training after that batch", async () => {
    const { x, y } = toyImages(48, 7);
    const model = toyModel(2);
    let batchesSeen = 0;
    const history = await model.fit(x, y, {
      epochs: 5,
      batchSize: 8,
      callbacks: {
        onBatchEnd: (batch) => {
          batchesSeen++;
          return batch === 2 ? 'stop' : undefined;
        },
      },
    });
    expect(batchesSeen).toBe(3);
    expect(history.epoch).toEqual([0]);
    expect(model.optimizer!.iterations).toBe(3);
  });

  it('model.stopTraining = true from onEpochEnd ends training after that epoch', async () => {
    const { x, y } = toyImages(24, 8);
    const model = toyModel(2);
    const history = await model.fit(x, y, {
      epochs: 10,
      batchSize: 8,
      callbacks: [
        {
          onEpochEnd: async (epoch) => {
            if (epoch === 1) model.stopTraining = true;
          },
        },
      ],
    });
    expect(history.epoch).toEqual([0, 1]);
    expect(history.history.loss).toHaveLength(2);
    expect(model.optimizer!.iterations).toBe(6);
  });
});
