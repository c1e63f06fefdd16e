// Adam's hot loop (float32 moments kept in locals) against the update written out plainly, with
// every moment stored to and read back from float32 storage: equal bit for bit, step after step.

import { createRng, Tensor } from '@convoy/tensor';
import { describe, expect, it } from 'vitest';
import { adam, adamLoop, plainAdamLoop, setAdamLoop } from '../src/index.js';

function plainAdamSteps(
  start: Float32Array,
  grads: Float32Array[],
  { learningRate, beta1, beta2, epsilon }: Record<string, number> & object,
): Float32Array {
  const param = Float32Array.from(start);
  const m = new Float32Array(param.length);
  const v = new Float32Array(param.length);
  grads.forEach((grad, step) => {
    const t = step + 1;
    const stepSize = (learningRate! * Math.sqrt(1 - beta2! ** t)) / (1 - beta1! ** t);
    for (let i = 0; i < param.length; i++) {
      m[i] = beta1! * m[i]! + (1 - beta1!) * grad[i]!;
      v[i] = beta2! * v[i]! + (1 - beta2!) * grad[i]! * grad[i]!;
      param[i] = param[i]! - (stepSize * m[i]!) / (Math.sqrt(v[i]!) + epsilon!);
    }
  });
  return param;
}

describe('Adam update loop', () => {
  it.each([
    { learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
    { learningRate: 0.05, beta1: 0.5, beta2: 0.9, epsilon: 0.01 },
  ])(
    'equals the plain formula over float32 storage exactly: lr=$learningRate b1=$beta1 b2=$beta2 eps=$epsilon',
    (settings) => {
      const rng = createRng(7);
      const size = 1001;
      const start = Float32Array.from({ length: size }, () => rng.uniform(-1, 1));
      // Gradients spanning many magnitudes, zeros and signs, so rounding differences would show.
      const grads = Array.from({ length: 6 }, () =>
        Float32Array.from({ length: size }, (_, i) =>
          i % 17 === 0 ? 0 : rng.normal() * 10 ** rng.int(6) * 1e-3,
        ),
      );
      const param = new Tensor(Float32Array.from(start), [7, 143], 'float32');
      const optimizer = adam(settings);
      for (const grad of grads)
        optimizer.step([{ param, grad: new Tensor(grad, [7, 143], 'float32') }]);
      const expected = plainAdamSteps(start, grads, settings);
      expect(Array.from(param.data)).toEqual(Array.from(expected));
      expect(Array.from(param.data)).not.toEqual(Array.from(start));
    },
  );
});

describe('setAdamLoop', () => {
  it('routes every Adam update through the loop given, and back to the plain one', () => {
    const calls: number[] = [];
    setAdamLoop((param, grad, m, v, coefficients) => {
      calls.push(param.length);
      plainAdamLoop(param, grad, m, v, coefficients);
    });
    try {
      expect(adamLoop()).not.toBe(plainAdamLoop);
      const param = new Tensor(Float32Array.of(1, 2, 3), [3], 'float32');
      const grad = new Tensor(Float32Array.of(0.5, -0.5, 1), [3], 'float32');
      adam().step([{ param, grad }]);
      expect(calls).toEqual([3]);
      expect(Array.from(param.data)).not.toEqual([1, 2, 3]);
    } finally {
      setAdamLoop(undefined);
    }
    expect(adamLoop()).toBe(plainAdamLoop);
  });
});
