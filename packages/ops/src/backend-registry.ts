// Which backend the Tensor-level ops (conv2d, matMul and their gradients) run on. The reference
// loops are always there; a faster backend is preferred where the runtime supports it. The choice
// is made lazily at first use so that importing the package costs nothing.

import type { Backend } from './backend.js';
import { referenceBackend } from './reference/backend.js';
import { wasmBackendIfSupported } from './wasm/backend.js';

let current: Backend | undefined;

/** The best backend this runtime supports, in order of preference. */
function defaultBackend(): Backend {
  // WebAssembly SIMD where the runtime validates it (relaxed SIMD first), else the plain loops.
  return wasmBackendIfSupported() ?? referenceBackend;
}

/** The backend the Tensor-level ops use now. */
export function activeBackend(): Backend {
  current ??= defaultBackend();
  return current;
}

/**
 * Makes `backend` the one the Tensor-level ops use (pass `undefined` to go back to the default).
 * Returns the previous one, so a caller can restore it.
 */
export function setBackend(backend: Backend | undefined): Backend {
  const previous = activeBackend();
  current = backend;
  return previous;
}
