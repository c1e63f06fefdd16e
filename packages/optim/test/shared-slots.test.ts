// The data-parallel side of an optimizer: slots moved onto shared memory (still the optimizer's
// own), an update applied slice by slice from a copy made from getConfig() (as a worker does),
// and countSteps. Each must give exactly the numbers of step().

import { createRng, type Tensor, tensor } from '@convoy/tensor';
import { describe, expect, it } from 'vitest';
import {
  adam,
  createOptimizer,
  exponentialDecay,
  type Optimizer,
  rmsprop,
  sgd,
} from '../src/index.js';

function randomTensors(seed: number, shapes: number[][]): Tensor<'float32'>[] {
  const rng = createRng(seed);
  return shapes.map((shape) => {
    const size = shape.reduce((a, b) => a * b, 1);
    return tensor(
      Array.from({ length: size }, () => rng.uniform(-1, 1)),
      shape,
    );
  });
}

const shapes = [[7, 5], [5], [3, 3, 2]];

const makers: [string, () => Optimizer][] = [
  ['Adam', () => adam({ learningRate: 0.01 })],
  ['Adam amsgrad', () => adam({ learningRate: 0.01, amsgrad: true })],
  [
    'Adam with a schedule',
    () =>
      adam({
        learningRate: exponentialDecay({
          initialLearningRate: 0.01,
          decaySteps: 1,
          decayRate: 0.5,
        }),
      }),
  ],
  ['SGD momentum', () => sgd({ learningRate: 0.1, momentum: 0.9, nesterov: true })],
  ['SGD with decay', () => sgd({ learningRate: 0.1, decay: 0.3 })],
  ['RMSprop', () => rmsprop({ learningRate: 0.01, momentum: 0.5, centered: true })],
];

describe.each(makers)('%s shared slots and slice updates', (_, make) => {
  it('three steps as slices (split at odd places) by a copy from getConfig equal three step() calls', () => {
    const byStep = make();
    const stepped = randomTensors(1, shapes);
    const bySlices = make();
    const sliced = randomTensors(1, shapes);
    const slots = bySlices.bindSlots(sliced, { shared: true });
    const worker = createOptimizer(bySlices.getConfig());
    for (let s = 0; s < 3; s++) {
      const grads = randomTensors(10 + s, shapes);
      byStep.step(stepped.map((param, i) => ({ param, grad: grads[i]! })));
      sliced.forEach((param, i) => {
        const cut = Math.floor(param.size / 3) + 1;
        for (const [start, end] of [
          [0, cut],
          [cut, param.size],
        ] as const) {
          worker.updateSlice(
            param.data.subarray(start, end),
            grads[i]!.data.subarray(start, end),
            slots[i]!.map((slot) => slot.subarray(start, end)),
            bySlices.iterations,
          );
        }
      });
      bySlices.countSteps(1);
    }
    sliced.forEach((param, i) => {
      expect(Array.from(param.data)).toEqual(Array.from(stepped[i]!.data));
    });
    expect(bySlices.iterations).toBe(3);
    // getState reads the shared slots the slices updated.
    const expected = byStep.getState();
    const actual = bySlices.getState();
    expect(actual.iterations).toBe(expected.iterations);
    for (const name of Object.keys(expected.slots)) {
      expect(actual.slots[name]!.map((s) => Array.from(s))).toEqual(
        expected.slots[name]!.map((s) => Array.from(s)),
      );
    }
    // And step() carries on from them.
    const grads = randomTensors(20, shapes);
    byStep.step(stepped.map((param, i) => ({ param, grad: grads[i]! })));
    bySlices.step(sliced.map((param, i) => ({ param, grad: grads[i]! })));
    sliced.forEach((param, i) => {
      expect(Array.from(param.data)).toEqual(Array.from(stepped[i]!.data));
    });
  });
});

describe('bindSlots', () => {
  it('moves existing slots onto SharedArrayBuffers with their values, bound to the same parameters', () => {
    const optimizer = adam({ learningRate: 0.1 });
    const params = randomTensors(3, shapes);
    optimizer.step(params.map((param) => ({ param, grad: param.clone() })));
    const before = optimizer.getState();
    const slots = optimizer.bindSlots(params, { shared: true });
    expect(slots).toHaveLength(params.length);
    for (const [i, perParam] of slots.entries()) {
      expect(perParam).toHaveLength(2);
      for (const [k, slot] of perParam.entries()) {
        expect(slot.buffer).toBeInstanceOf(SharedArrayBuffer);
        expect(Array.from(slot)).toEqual(Array.from(before.slots[optimizer.slotNames[k]!]![i]!));
      }
    }
    // Binding again returns the same storage.
    expect(optimizer.bindSlots(params)[0]![0]).toBe(slots[0]![0]);
  });

  it('without shared, returns the slots as they are: the arrays step() updates', () => {
    const optimizer = adam({ learningRate: 0.1 });
    const params = randomTensors(3, shapes);
    const slots = optimizer.bindSlots(params);
    expect(slots[0]![0]!.buffer).not.toBeInstanceOf(SharedArrayBuffer);
    optimizer.step(params.map((param) => ({ param, grad: param.clone() })));
    expect(Array.from(slots[1]![0]!)).toEqual(Array.from(optimizer.getState().slots.m![1]!));
    expect(slots[1]![0]!.some((value) => value !== 0)).toBe(true);
  });

  it('gives SGD without momentum no slots', () => {
    const optimizer = sgd({ learningRate: 0.1 });
    expect(optimizer.bindSlots(randomTensors(4, shapes))).toEqual([[], [], []]);
  });
});

describe('bad input', () => {
  it('updateSlice refuses slices of different lengths and a wrong slot count', () => {
    const optimizer = adam();
    const a = new Float32Array(4);
    expect(() => optimizer.updateSlice(a, new Float32Array(3), [a, a], 0)).toThrow(
      /Adam.updateSlice: param \(4\), grad \(3\) and slots \(4, 4\) must have the same length/,
    );
    expect(() => optimizer.updateSlice(a, a, [a], 0)).toThrow(
      /Adam.updateSlice: expected 2 slots \(m, v\), got 1/,
    );
    expect(() => optimizer.updateSlice(a, a, [a, a], -1)).toThrow(
      /iterations must be a non-negative integer, got -1/,
    );
  });

  it('countSteps refuses a negative count', () => {
    expect(() => adam().countSteps(-2)).toThrow(
      /Adam.countSteps: steps must be a non-negative integer, got -2/,
    );
  });
});
