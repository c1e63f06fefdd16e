// RMSprop as tf.keras 2 computes it (keras/optimizer_v2/rmsprop.py). Keras uses two kernels whose
// epsilon sits in different places, and we follow both exactly:
//   rms = rho * rms + (1 - rho) * g^2
//   centered: mg = rho * mg + (1 - rho) * g;  denom = rms - mg^2   (else denom = rms)
//   momentum 0:  w = w - lr * g / (sqrt(denom) + epsilon)            (the python dense path)
//   momentum >0: mom = momentum * mom + lr * g / sqrt(denom + epsilon) (ResourceApply[Centered]RMSProp)
//                w = w - mom

import { type BaseOptions, makeOptimizer } from './optimizer.js';
import type { Optimizer } from './types.js';
import { checkBoolean, checkDecayRate, checkMomentum, checkNonNegative } from './validate.js';

export interface RmspropOptions {
  /** Default 1e-3 (Keras). */
  learningRate?: BaseOptions['learningRate'];
  /** Discount of the running mean of squares, in [0, 1); default 0.9. */
  rho?: number;
  /** In [0, 1]; default 0. */
  momentum?: number;
  /** Default 1e-7. */
  epsilon?: number;
  /** Normalize by the estimated variance instead of the uncentered second moment; default false. */
  centered?: boolean;
  decay?: number;
}

export function rmsprop(options: RmspropOptions = {}): Optimizer {
  const op = 'RMSprop';
  const rho = checkDecayRate(op, 'rho', options.rho ?? 0.9);
  const momentum = checkMomentum(op, options.momentum ?? 0);
  const epsilon = checkNonNegative(op, 'epsilon', options.epsilon ?? 1e-7);
  const centered = checkBoolean(op, 'centered', options.centered ?? false);
  const useMomentum = momentum > 0;
  // Keras creates the slots in this order: rms, then momentum, then mg.
  const slotNames = ['rms', ...(useMomentum ? ['momentum'] : []), ...(centered ? ['mg'] : [])];
  const momentumIndex = slotNames.indexOf('momentum');
  const meanGradIndex = slotNames.indexOf('mg');
  return makeOptimizer(
    {
      name: op,
      slotNames,
      coefficients: (learningRate) => ({ learningRate }),
      apply(param, grad, slots, { learningRate }) {
        const rms = slots[0]!;
        const mom = slots[momentumIndex];
        const meanGrad = slots[meanGradIndex];
        for (let i = 0; i < param.length; i++) {
          const g = grad[i]!;
          rms[i] = rho * rms[i]! + (1 - rho) * g * g;
          let denom = rms[i]!;
          if (meanGrad !== undefined) {
            meanGrad[i] = rho * meanGrad[i]! + (1 - rho) * g;
            denom -= meanGrad[i]! * meanGrad[i]!;
          }
          if (mom !== undefined) {
            mom[i] = momentum * mom[i]! + (learningRate * g) / Math.sqrt(denom + epsilon);
            param[i] = param[i]! - mom[i]!;
          } else {
            param[i] = param[i]! - (learningRate * g) / (Math.sqrt(denom) + epsilon);
          }
        }
      },
      config: () => ({ rho, momentum, epsilon, centered }),
    },
    { learningRate: options.learningRate ?? 1e-3, decay: options.decay ?? 0 },
  );
}
