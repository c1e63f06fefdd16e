// Every backend a kernel test should run on: the reference loops and each WebAssembly build this
// runtime supports (relaxed SIMD and plain SIMD where both validate).

import type { Backend } from '../../src/backend.js';
import { referenceBackend } from '../../src/reference/backend.js';
import { createWasmBackend, supportedWasmVariants } from '../../src/wasm/backend.js';

export const everyBackend: readonly { name: string; backend: Backend }[] = [
  { name: 'reference', backend: referenceBackend },
  ...supportedWasmVariants().map((variant) => ({
    name: `wasm ${variant}`,
    backend: createWasmBackend({ variant }),
  })),
];
