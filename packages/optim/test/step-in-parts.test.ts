// beginStep/update/end against step(): the same parameters, slots and iteration count whatever
// order the parts come in, for every optimizer; and misuse is refused with a clear error.

import { createRng, type Tensor, tensor } from '@convoy/tensor';
import { describe, expect, it } from 'vitest';
import { adam, type Optimizer, rmsprop, sgd } from '../src/index.js';

function randomPairs(seed: number): { params: Tensor<'float32'>[]; grads: Tensor<'float32'>[][] } {
  const rng = createRng(seed);
  const shapes = [[3, 4], [4], [5, 2, 3]];
  const params = shapes.map((shape) => {
    const size = shape.reduce((a, b) => a * b, 1);
    return tensor(
      Array.from({ length: size }, () => rng.uniform(-1, 1)),
      shape,
    );
  });
  const grads = [0, 1, 2].map(() =>
    params.map((param) =>
      tensor(
        Array.from({ length: param.size }, () => rng.normal()),
        [...param.shape],
      ),
    ),
  );
  return { params, grads };
}

const makers: [string, () => Optimizer][] = [
  ['Adam', () => adam({ learningRate: 0.01 })],
  ['Adam amsgrad', () => adam({ learningRate: 0.01, amsgrad: true })],
  ['SGD momentum', () => sgd({ learningRate: 0.1, momentum: 0.9 })],
  ['RMSprop', () => rmsprop({ learningRate: 0.01 })],
];

describe.each(makers)('%s beginStep', (_, make) => {
  it('updating in reverse order equals step() exactly, slots and iterations included', () => {
    const whole = randomPairs(5);
    const parts = randomPairs(5);
    const byStep = make();
    const byParts = make();
    for (let s = 0; s < 3; s++) {
      byStep.step(whole.params.map((param, i) => ({ param, grad: whole.grads[s]![i]! })));
      const step = byParts.beginStep(parts.params);
      for (let i = parts.params.length - 1; i >= 0; i--) step.update(i, parts.grads[s]![i]!);
      step.end();
    }
    expect(byParts.iterations).toBe(3);
    parts.params.forEach((param, i) => {
      expect(param.data).toEqual(whole.params[i]!.data);
    });
    expect(byParts.getState()).toEqual(byStep.getState());
  });

  it('refuses a repeated update, an unknown position, a wrong grad shape and an early end', () => {
    const { params, grads } = randomPairs(6);
    const optimizer = make();
    const step = optimizer.beginStep(params);
    step.update(0, grads[0]![0]!);
    expect(() => step.update(0, grads[0]![0]!)).toThrow(/update\(0\) needs a position below 3/);
    expect(() => step.update(3, grads[0]![0]!)).toThrow(/update\(3\)/);
    expect(() => step.update(1, grads[0]![0]!)).toThrow(/grad shape \[3, 4\] does not match/);
    expect(() => step.end()).toThrow(/end\(\) before parameters \[1, 2\] were updated/);
    expect(optimizer.iterations).toBe(0);
    expect(() => optimizer.beginStep([params[0]!, params[0]!])).toThrow(/repeats a parameter/);
  });
});
