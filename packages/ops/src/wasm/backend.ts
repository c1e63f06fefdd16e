// The WebAssembly SIMD backend: the Backend interface on the kernels in assembly/, built twice
// (relaxed SIMD with fused multiply-add, and plain SIMD) and chosen at run time by feature
// detection. Each backend owns one instance and its memory; a worker builds its own.

import type { Backend } from '../backend.js';
import {
  globalAvgPool2dBackwardReference,
  globalAvgPool2dReference,
} from '../reference/global-pooling.js';
import { adamUpdateWasm } from './adam.js';
import { biasAddReluBackwardWasm } from './bias-relu.js';
import { conv2dBackpropFilterWasm, conv2dBackpropInputWasm, conv2dWasm } from './conv2d.js';
import { wasmFeatures } from './features.js';
import { instantiateKernels, type KernelInstance, type WasmVariant } from './instance.js';
import { matMulWasm } from './matmul.js';
import {
  avgPool2dBackwardWasm,
  avgPool2dWasm,
  maxPool2dBackwardWasm,
  maxPool2dWasm,
} from './pooling.js';

export type { WasmVariant } from './instance.js';

export interface WasmBackendOptions {
  /** Which build to run; default: relaxed SIMD when the runtime has it, else plain SIMD. */
  variant?: WasmVariant;
}

/** The builds this runtime can run, fastest first (empty without WebAssembly SIMD). */
export function supportedWasmVariants(): WasmVariant[] {
  const features = wasmFeatures();
  const variants: WasmVariant[] = [];
  if (features.relaxedSimd) variants.push('relaxed-simd');
  if (features.simd) variants.push('simd');
  return variants;
}

function checkedVariant(requested: WasmVariant | undefined): WasmVariant {
  const supported = supportedWasmVariants();
  const variant = requested ?? supported[0];
  if (variant === undefined || !supported.includes(variant)) {
    const { simd, relaxedSimd } = wasmFeatures();
    throw new Error(
      `wasm backend: this runtime cannot run the ${variant ?? 'SIMD'} build (WebAssembly SIMD ${
        simd ? 'present' : 'missing'
      }, relaxed SIMD ${relaxedSimd ? 'present' : 'missing'})`,
    );
  }
  return variant;
}

function backendOn(variant: WasmVariant, kernels: () => KernelInstance): Backend {
  return {
    name: `wasm-${variant}`,
    conv2d(x, filter, out, g, batch, epilogue) {
      conv2dWasm(kernels(), x, filter, out, g, batch, epilogue);
    },
    conv2dBackpropInput(dy, filter, dx, g, batch, prologue) {
      conv2dBackpropInputWasm(kernels(), dy, filter, dx, g, batch, prologue);
    },
    conv2dBackpropFilter(x, dy, dw, g, batch, prologue) {
      conv2dBackpropFilterWasm(kernels(), x, dy, dw, g, batch, prologue);
    },
    matMul(a, b, out, g, rows) {
      matMulWasm(kernels(), a, b, out, g, rows);
    },
    maxPool2d(x, out, g, batch) {
      maxPool2dWasm(kernels(), x, out, g, batch);
    },
    maxPool2dBackward(dy, x, dx, g, batch) {
      maxPool2dBackwardWasm(kernels(), dy, x, dx, g, batch);
    },
    avgPool2d(x, out, g, batch) {
      avgPool2dWasm(kernels(), x, out, g, batch);
    },
    avgPool2dBackward(dy, dx, g, batch) {
      avgPool2dBackwardWasm(kernels(), dy, dx, g, batch);
    },
    // One pass over memory each: the plain loops already wait on memory, as SIMD would.
    globalAvgPool2d: globalAvgPool2dReference,
    globalAvgPool2dBackward: globalAvgPool2dBackwardReference,
    biasAddReluBackward(dy, y, dx, biasSums, g, rows) {
      biasAddReluBackwardWasm(kernels(), dy, y, dx, biasSums, g, rows);
    },
    adamUpdate(param, grad, m, v, coefficients, range) {
      adamUpdateWasm(kernels(), param, grad, m, v, coefficients, range);
    },
  };
}

/** A new WebAssembly backend with its own instance; throws when the runtime lacks the build. */
export function createWasmBackend(options: WasmBackendOptions = {}): Backend {
  const variant = checkedVariant(options.variant);
  let instance: KernelInstance | undefined;
  // Instantiated on first use, so creating a backend costs nothing until it computes.
  return backendOn(variant, () => {
    instance ??= instantiateKernels(variant);
    return instance;
  });
}

let shared: Backend | null | undefined;

/**
 * This thread's default WebAssembly backend, or undefined where it cannot run: no WebAssembly
 * SIMD, or a page whose Content-Security-Policy forbids compiling WebAssembly (the module is
 * compiled here, once, to find out).
 */
export function wasmBackendIfSupported(): Backend | undefined {
  if (shared === undefined) {
    try {
      const variant = checkedVariant(undefined);
      const instance = instantiateKernels(variant);
      shared = backendOn(variant, () => instance);
    } catch {
      shared = null;
    }
  }
  return shared ?? undefined;
}
