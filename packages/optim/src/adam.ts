// Adam as tf.keras 2 computes it (keras/optimizer_v2/adam.py, kernel ResourceApplyAdam): the
// "epsilon hat" form from just before section 2.1 of Kingma & Ba, so epsilon is added to sqrt(v)
// *after* folding the bias corrections into the step size:
//   lr_t = lr * sqrt(1 - beta2^t) / (1 - beta1^t)
//   m = beta1 * m + (1 - beta1) * g
//   v = beta2 * v + (1 - beta2) * g^2
//   w = w - lr_t * m / (sqrt(v) + epsilon)
// With amsgrad, vhat = max(vhat, v) replaces v in the last line (ResourceApplyAdamWithAmsgrad).
// The plain form's loop is @convoy/ops's adamUpdate kernel (WebAssembly SIMD where the runtime has
// it, the plain loop otherwise), as TensorFlow's optimizer calls its ApplyAdam op.

import { adamUpdate } from '@convoy/ops';
import { type BaseOptions, makeOptimizer } from './optimizer.js';
import type { Optimizer } from './types.js';
import { checkBoolean, checkDecayRate, checkNonNegative } from './validate.js';

export interface AdamOptions {
  /** Default 1e-3 (Keras). */
  learningRate?: BaseOptions['learningRate'];
  /** Default 0.9. */
  beta1?: number;
  /** Default 0.999. */
  beta2?: number;
  /** Default 1e-7 (Keras; PyTorch uses 1e-8 inside a different formula). */
  epsilon?: number;
  /** Default false. */
  amsgrad?: boolean;
  decay?: number;
}

export function adam(options: AdamOptions = {}): Optimizer {
  const op = 'Adam';
  const beta1 = checkDecayRate(op, 'beta1', options.beta1 ?? 0.9);
  const beta2 = checkDecayRate(op, 'beta2', options.beta2 ?? 0.999);
  const epsilon = checkNonNegative(op, 'epsilon', options.epsilon ?? 1e-7);
  const amsgrad = checkBoolean(op, 'amsgrad', options.amsgrad ?? false);
  return makeOptimizer(
    {
      name: op,
      slotNames: amsgrad ? ['m', 'v', 'vhat'] : ['m', 'v'],
      coefficients: (learningRate, t) => ({
        stepSize: (learningRate * Math.sqrt(1 - beta2 ** t)) / (1 - beta1 ** t),
      }),
      apply(param, grad, slots, { stepSize }) {
        const m = slots[0]!;
        const v = slots[1]!;
        const vhat = slots[2];
        if (vhat === undefined) {
          adamUpdate(param, grad, m, v, { stepSize, beta1, beta2, epsilon });
          return;
        }
        for (let i = 0; i < param.length; i++) {
          const g = grad[i]!;
          m[i] = beta1 * m[i]! + (1 - beta1) * g;
          v[i] = beta2 * v[i]! + (1 - beta2) * g * g;
          const second = (vhat[i] = Math.max(vhat[i]!, v[i]!));
          param[i] = param[i]! - (stepSize * m[i]!) / (Math.sqrt(second) + epsilon);
        }
      },
      config: () => ({ beta_1: beta1, beta_2: beta2, epsilon, amsgrad }),
    },
    { learningRate: options.learningRate ?? 1e-3, decay: options.decay ?? 0 },
  );
}
