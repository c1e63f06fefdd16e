// Adam's per-weight update as an op on raw float32 arrays, in place: the hot loop of the
// optimizer, here because this package has the WebAssembly kernels. @convoy/optim keeps its own
// loop (it depends on nothing but tensors); @convoy/layers hands it this one, which gives the same
// numbers bit for bit in about half the time (the square roots and divisions go two at a time).

import { adamUpdateReference } from './reference/adam.js';
import { adamUpdateWasm } from './wasm/adam.js';
import { supportedWasmVariants } from './wasm/backend.js';
import { instantiateKernels, type KernelInstance } from './wasm/instance.js';

/** The step's constants: stepSize already holds the bias corrections (lr·√(1−β₂ᵗ)/(1−β₁ᵗ)). */
export interface AdamCoefficients {
  stepSize: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}

let instance: KernelInstance | null | undefined;

function kernelInstance(): KernelInstance | undefined {
  if (instance === undefined) {
    const variant = supportedWasmVariants()[0];
    try {
      instance = variant === undefined ? null : instantiateKernels(variant);
    } catch {
      // A page whose Content-Security-Policy forbids compiling WebAssembly.
      instance = null;
    }
  }
  return instance ?? undefined;
}

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
  const length = param.length;
  if (grad.length !== length || m.length !== length || v.length !== length) {
    throw new RangeError(
      `adamUpdate: param, grad, m and v must have the same length, got ${length}, ${grad.length}, ${m.length}, ${v.length}`,
    );
  }
  const kernels = kernelInstance();
  if (kernels) adamUpdateWasm(kernels, param, grad, m, v, coefficients);
  else adamUpdateReference(param, grad, m, v, coefficients);
}
