// Adam's per-weight update as an op on raw float32 arrays, in place: the hot loop of the
// optimizer, here because this package has the kernels (the WebAssembly one takes the square roots
// and divisions two at a time, about half the time of the plain loop, with the same numbers bit
// for bit). @convoy/optim's Adam calls it; an executor splits it over elements like any kernel.

import type { AdamCoefficients } from './adam-coefficients.js';
import { activeBackend } from './backend-registry.js';
import { f32, type KernelDefinition, upTo } from './kernel.js';
import { runKernel } from './run.js';

export type { AdamCoefficients } from './adam-coefficients.js';

type AdamUpdateArgs = [
  param: Float32Array,
  grad: Float32Array,
  m: Float32Array,
  v: Float32Array,
  coefficients: AdamCoefficients,
];

/** Elementwise over the weights, so a call splits over element ranges, updated where they are. */
export const adamUpdateKernel: KernelDefinition<AdamUpdateArgs, void, AdamCoefficients> = {
  name: 'adamUpdate',
  plan([param, grad, m, v, coefficients]) {
    const op = 'adamUpdate';
    for (const [name, array] of Object.entries({ param, grad, m, v })) {
      if (!(array instanceof Float32Array)) {
        throw new TypeError(`${op}: ${name} must be a Float32Array`);
      }
    }
    const length = param.length;
    if (grad.length !== length || m.length !== length || v.length !== length) {
      throw new RangeError(
        `${op}: param, grad, m and v must have the same length, got ${length}, ${grad.length}, ${m.length}, ${v.length}`,
      );
    }
    const { stepSize, beta1, beta2, epsilon } = coefficients;
    const state = (name: string, given: Float32Array) =>
      ({ size: length, given, name, mayOverlapInputs: true, shards: 'part' }) as const;
    return {
      op,
      inputs: { grad },
      outputs: { param: state('param', param), m: state('m', m), v: state('v', v) },
      geometry: { stepSize, beta1, beta2, epsilon },
      // Two moments, a square root and a division per weight: about a dozen operations.
      flops: 12 * length,
      items: length,
      whole: upTo(length),
    };
  },
  compute(backend, a, coefficients, range) {
    backend.adamUpdate(f32(a.param), f32(a.grad), f32(a.m), f32(a.v), coefficients, range);
  },
  result: () => undefined,
};

/**
 * For each weight i: m[i] = β₁·m[i] + (1−β₁)·g, v[i] = β₂·v[i] + (1−β₂)·g², param[i] −=
 * stepSize·m[i] / (√v[i] + ε), computed in doubles with m and v rounded to float32 as stored
 * (Keras's "epsilon hat" Adam). All four arrays have the same length; param, m and v change.
 */
export function adamUpdate(
  param: Float32Array,
  grad: Float32Array,
  m: Float32Array,
  v: Float32Array,
  coefficients: AdamCoefficients,
): void {
  runKernel(activeBackend(), adamUpdateKernel, [param, grad, m, v, coefficients]);
}
