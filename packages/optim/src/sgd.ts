// Stochastic gradient descent with optional (Nesterov) momentum, as tf.keras 2's SGD
// (keras/optimizer_v2/gradient_descent.py, kernel ResourceApplyKerasMomentum):
//   velocity = momentum * velocity - lr * g
//   w = w + velocity                          (plain momentum)
//   w = w + momentum * velocity - lr * g      (nesterov)
//   w = w - lr * g                            (momentum 0: no slot at all, like Keras)

import { type BaseOptions, makeOptimizer } from './optimizer.js';
import type { Optimizer } from './types.js';
import { checkBoolean, checkMomentum } from './validate.js';

export interface SgdOptions {
  /** Default 0.01 (Keras). */
  learningRate?: BaseOptions['learningRate'];
  /** In [0, 1]; default 0. */
  momentum?: number;
  /** Default false. */
  nesterov?: boolean;
  decay?: number;
}

export function sgd(options: SgdOptions = {}): Optimizer {
  const op = 'SGD';
  const momentum = checkMomentum(op, options.momentum ?? 0);
  const nesterov = checkBoolean(op, 'nesterov', options.nesterov ?? false);
  const useMomentum = momentum > 0;
  return makeOptimizer(
    {
      name: op,
      slotNames: useMomentum ? ['momentum'] : [],
      coefficients: (learningRate) => ({ learningRate }),
      apply(param, grad, slots, { learningRate }) {
        if (!useMomentum) {
          for (let i = 0; i < param.length; i++) param[i] = param[i]! - learningRate * grad[i]!;
          return;
        }
        const velocity = slots[0]!;
        for (let i = 0; i < param.length; i++) {
          velocity[i] = momentum * velocity[i]! - learningRate * grad[i]!;
          const v = velocity[i]!;
          param[i] = nesterov ? param[i]! + momentum * v - learningRate * grad[i]! : param[i]! + v;
        }
      },
      config: () => ({ momentum, nesterov }),
    },
    { learningRate: options.learningRate ?? 0.01, decay: options.decay ?? 0 },
  );
}
