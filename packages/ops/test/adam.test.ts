// adamUpdate: the WebAssembly loop gives the plain loop's numbers bit for bit (it is handed to
// @convoy/optim's Adam by @convoy/layers, so training must not change by a single ulp), across
// chunk boundaries and odd lengths, over many steps, with gradients from tiny to huge.

import { createRng } from '@convoy/tensor';
import { describe, expect, it } from 'vitest';
import { adamUpdate, reference } from '../src/index.js';

function values(length: number, seed: number, scale: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length }, () => (rng.next() * 2 - 1) * scale);
}

function firstDifference(a: Float32Array, b: Float32Array): number {
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return a.length === b.length ? -1 : 0;
}

describe('adamUpdate', () => {
  // 1, an odd tail, exactly one chunk (65536), and chunks plus an odd tail.
  for (const length of [1, 7, 65_536, 150_001]) {
    it(`equals the plain loop bit for bit over 5 steps (${length} weights)`, () => {
      const fast = {
        param: values(length, 1, 0.5),
        m: new Float32Array(length),
        v: new Float32Array(length),
      };
      const plain = { param: fast.param.slice(), m: fast.m.slice(), v: fast.v.slice() };
      for (let step = 1; step <= 5; step++) {
        // Gradients of very different sizes, plus exact zeros.
        const grad = values(length, 10 + step, 10 ** (step - 3));
        for (let i = 3; i < length; i += 5) grad[i] = 0;
        const coefficients = {
          stepSize: (1e-3 * Math.sqrt(1 - 0.999 ** step)) / (1 - 0.9 ** step),
          beta1: 0.9,
          beta2: 0.999,
          epsilon: 1e-7,
        };
        adamUpdate(fast.param, grad, fast.m, fast.v, coefficients);
        reference.adamUpdate(plain.param, grad, plain.m, plain.v, coefficients);
      }
      expect(firstDifference(fast.m, plain.m)).toBe(-1);
      expect(firstDifference(fast.v, plain.v)).toBe(-1);
      expect(firstDifference(fast.param, plain.param)).toBe(-1);
      expect(fast.param.some((value, i) => value !== values(length, 1, 0.5)[i])).toBe(true);
    });
  }

  it('refuses arrays of different lengths', () => {
    const coefficients = { stepSize: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };
    const four = new Float32Array(4);
    expect(() =>
      adamUpdate(four, new Float32Array(3), four.slice(), four.slice(), coefficients),
    ).toThrow('adamUpdate: param, grad, m and v must have the same length, got 4, 3, 4, 4');
  });
});
