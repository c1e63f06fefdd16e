// Configs with Keras names, createOptimizer round trips, checkpoint/resume, schedules, bad input.

import { tensor } from '@convoy/tensor';
import { describe, expect, it } from 'vitest';
import {
  adam,
  createOptimizer,
  exponentialDecay,
  inverseTimeDecay,
  piecewiseConstantDecay,
  rmsprop,
  sgd,
  stateFromJson,
  stateToJson,
} from '../src/index.js';
import { expectFloat32Close, quadraticSteps } from './helpers.js';

describe('epsilon placement', () => {
  it('RMSprop puts epsilon outside the sqrt without momentum and inside it with momentum', () => {
    // From 2 with grad 2, rho 0.9: ms = 0.4. A large epsilon makes the two placements visible.
    const plain = quadraticSteps(rmsprop({ learningRate: 0.1, epsilon: 0.5 }), 2, 1);
    const withMomentum = quadraticSteps(
      rmsprop({ learningRate: 0.1, epsilon: 0.5, momentum: 0.5 }),
      2,
      1,
    );
    expectFloat32Close(plain, [2 - (0.1 * 2) / (Math.sqrt(0.4) + 0.5)]);
    expectFloat32Close(withMomentum, [2 - (0.1 * 2) / Math.sqrt(0.4 + 0.5)]);
  });

  it('Adam adds epsilon after the bias-corrected step size (epsilon hat)', () => {
    // Algorithm 1 of the paper would give 2 - 0.1 * 2 / (2 + 0.5) = 1.92; Keras gives this:
    const [w] = quadraticSteps(adam({ learningRate: 0.1, epsilon: 0.5 }), 2, 1);
    const lr1 = (0.1 * Math.sqrt(0.001)) / 0.1;
    expectFloat32Close([w!], [2 - (lr1 * 0.2) / (Math.sqrt(0.004) + 0.5)]);
  });
});

describe('getConfig uses Keras names and defaults', () => {
  it('Adam', () => {
    expect(adam().getConfig()).toEqual({
      name: 'Adam',
      learning_rate: 0.001,
      decay: 0,
      beta_1: 0.9,
      beta_2: 0.999,
      epsilon: 1e-7,
      amsgrad: false,
    });
  });
  it('SGD', () => {
    expect(sgd().getConfig()).toEqual({
      name: 'SGD',
      learning_rate: 0.01,
      decay: 0,
      momentum: 0,
      nesterov: false,
    });
  });
  it('RMSprop', () => {
    expect(rmsprop().getConfig()).toEqual({
      name: 'RMSprop',
      learning_rate: 0.001,
      decay: 0,
      rho: 0.9,
      momentum: 0,
      epsilon: 1e-7,
      centered: false,
    });
  });
});

describe('createOptimizer', () => {
  it('accepts the Keras strings with Keras defaults', () => {
    expect(createOptimizer('adam').getConfig()).toEqual(adam().getConfig());
    expect(createOptimizer('sgd').getConfig()).toEqual(sgd().getConfig());
    expect(createOptimizer('rmsprop').getConfig()).toEqual(rmsprop().getConfig());
  });

  it('rebuilds an optimizer from its config, and from Keras { class_name, config }', () => {
    const original = sgd({ learningRate: 0.2, momentum: 0.7, nesterov: true, decay: 0.01 });
    expect(createOptimizer(original.getConfig()).getConfig()).toEqual(original.getConfig());
    const fromKeras = createOptimizer({
      class_name: 'Adam',
      config: { learning_rate: 0.01, beta_2: 0.99 },
    });
    expect(fromKeras.getConfig()).toMatchObject({
      name: 'Adam',
      learning_rate: 0.01,
      beta_1: 0.9,
      beta_2: 0.99,
    });
  });

  it('round-trips a schedule through the config', () => {
    const schedule = exponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 });
    const rebuilt = createOptimizer(adam({ learningRate: schedule }).getConfig());
    expect(rebuilt.getConfig().learning_rate).toEqual(schedule.getConfig());
    expect(rebuilt.currentLearningRate()).toBe(0.1);
  });

  it('passes an optimizer through and rejects unknown names', () => {
    const opt = adam();
    expect(createOptimizer(opt)).toBe(opt);
    expect(() => createOptimizer('adagrad' as 'adam')).toThrow(
      'createOptimizer: unknown optimizer adagrad; expected adam, sgd or rmsprop',
    );
  });
});

describe('checkpoint and resume', () => {
  it('a restored optimizer continues exactly where the saved one was', () => {
    const grads = [
      [0.3, -0.1, 0.2],
      [0.1, 0.4, -0.5],
      [-0.2, 0.2, 0.05],
    ];
    const reference = tensor([1, 2, 3]);
    const original = rmsprop({ learningRate: 0.01, momentum: 0.9, centered: true });
    original.step([{ param: reference, grad: tensor(grads[0]!) }]);
    original.step([{ param: reference, grad: tensor(grads[1]!) }]);
    const saved = JSON.parse(JSON.stringify(stateToJson(original.getState())));
    const resumedParam = reference.clone();
    original.step([{ param: reference, grad: tensor(grads[2]!) }]);

    const resumed = createOptimizer(original.getConfig());
    resumed.setState(stateFromJson(saved));
    expect(resumed.iterations).toBe(2);
    resumed.step([{ param: resumedParam, grad: tensor(grads[2]!) }]);
    expect(Array.from(resumedParam.data)).toEqual(Array.from(reference.data));
    expect(resumed.iterations).toBe(3);
  });

  it('Adam resumes with the right bias correction (iterations are part of the state)', () => {
    const a = tensor([5]);
    const opt = adam({ learningRate: 0.1 });
    opt.step([{ param: a, grad: tensor([5]) }]);
    const b = a.clone();
    const restored = adam({ learningRate: 0.1 });
    restored.setState(opt.getState());
    opt.step([{ param: a, grad: tensor([a.data[0]!]) }]);
    restored.step([{ param: b, grad: tensor([b.data[0]!]) }]);
    expect(b.data[0]).toBe(a.data[0]);
  });

  it('rejects a state from another optimizer or for other parameters', () => {
    const state = adam().getState();
    expect(() => sgd({ momentum: 0.9 }).setState(state)).toThrow(
      'SGD.setState: expected slots [momentum], got [m, v]',
    );
    const opt = sgd({ momentum: 0.9 });
    opt.step([{ param: tensor([1, 2]), grad: tensor([1, 1]) }]);
    const other = sgd({ momentum: 0.9 });
    other.setState(opt.getState());
    expect(() => other.step([{ param: tensor([1, 2, 3]), grad: tensor([1, 1, 1]) }])).toThrow(
      /restored state for parameter 0 has 2 elements, but the parameter at position 0 has 3/,
    );
  });
});

describe('learning rate', () => {
  it('applies Keras decay: lr / (1 + decay * iterations)', () => {
    const opt = sgd({ learningRate: 0.1, decay: 0.5 });
    const param = tensor([1]);
    opt.step([{ param, grad: tensor([1]) }]); // lr 0.1
    expect(opt.currentLearningRate()).toBeCloseTo(0.1 / 1.5, 15);
    opt.step([{ param, grad: tensor([1]) }]); // lr 0.1 / 1.5
    expectFloat32Close(param.data, [1 - 0.1 - 0.1 / 1.5]);
  });

  it('exponentialDecay, inverseTimeDecay and piecewiseConstantDecay follow Keras', () => {
    const smooth = exponentialDecay({ initialLearningRate: 0.1, decaySteps: 4, decayRate: 0.5 });
    expect(smooth.at(0)).toBe(0.1);
    expect(smooth.at(2)).toBeCloseTo(0.1 * Math.SQRT1_2, 15);
    const stairs = exponentialDecay({
      initialLearningRate: 0.1,
      decaySteps: 4,
      decayRate: 0.5,
      staircase: true,
    });
    expect(stairs.at(3)).toBe(0.1);
    expect(stairs.at(4)).toBe(0.05);
    expect(
      inverseTimeDecay({ initialLearningRate: 1, decaySteps: 2, decayRate: 1 }).at(4),
    ).toBeCloseTo(1 / 3, 15);
    const pieces = piecewiseConstantDecay([10, 20], [1, 0.5, 0.1]);
    expect([pieces.at(10), pieces.at(11), pieces.at(20), pieces.at(21)]).toEqual([
      1, 0.5, 0.5, 0.1,
    ]);
  });

  it('a schedule is read at the iteration count before each step', () => {
    const schedule = piecewiseConstantDecay([0], [1, 0.1]);
    const values = quadraticSteps(sgd({ learningRate: schedule }), 1, 2);
    expectFloat32Close(values, [0, 0]); // step 1: lr 1 -> 0; step 2: grad 0
    const param = tensor([1]);
    const opt = sgd({ learningRate: schedule });
    opt.step([{ param, grad: tensor([0.5]) }]);
    opt.step([{ param, grad: tensor([0.5]) }]);
    expectFloat32Close(param.data, [1 - 0.5 - 0.05]);
  });
});

describe('bad input gives clear errors', () => {
  it('rejects bad hyperparameters', () => {
    expect(() => adam({ learningRate: -0.1 })).toThrow(
      'Adam: learningRate must be a finite number >= 0, got -0.1',
    );
    expect(() => adam({ beta1: 1 })).toThrow('Adam: beta1 must be in [0, 1), got 1');
    expect(() => adam({ beta2: -0.5 })).toThrow('Adam: beta2 must be in [0, 1), got -0.5');
    expect(() => adam({ epsilon: Number.NaN })).toThrow(
      'Adam: epsilon must be a finite number >= 0, got NaN',
    );
    expect(() => rmsprop({ rho: 1 })).toThrow('RMSprop: rho must be in [0, 1), got 1');
    expect(() => sgd({ momentum: 1.5 })).toThrow('SGD: momentum must be in [0, 1], got 1.5');
    expect(() => sgd({ decay: -1 })).toThrow('SGD: decay must be a finite number >= 0, got -1');
    expect(() =>
      exponentialDecay({ initialLearningRate: 0.1, decaySteps: 0, decayRate: 0.5 }),
    ).toThrow('exponentialDecay: decaySteps must be a finite number > 0, got 0');
  });

  it('rejects mismatched, mistyped or repeated parameters', () => {
    const opt = adam();
    expect(() => opt.step([{ param: tensor([1, 2]), grad: tensor([1, 2, 3]) }])).toThrow(
      'Adam.step: pair 0: grad shape [3] does not match param shape [2]',
    );
    expect(() =>
      opt.step([{ param: tensor([1, 2], [2], 'int32') as never, grad: tensor([1, 2]) }]),
    ).toThrow('Adam.step: pair 0 needs float32 param and grad tensors, got int32 and float32');
    const param = tensor([1]);
    expect(() =>
      opt.step([
        { param, grad: tensor([1]) },
        { param, grad: tensor([1]) },
      ]),
    ).toThrow('Adam.step: pair 1 repeats a parameter already in this step');
    expect(opt.iterations).toBe(0);
    expect(Array.from(param.data)).toEqual([1]);
  });
});
