// Which backend a worker computes a task with: the one the calling thread's ops use at the time of
// the call, named in the task. Workers cannot receive a Backend object, so they rebuild it by name
// from the backends the package ships; this keeps "an executor gives the numbers of the
// synchronous ops" true even after setBackend(). A backend the workers cannot rebuild (a user's
// own) makes the executor run that call on the calling thread instead.

import type { Backend } from '../backend.js';
import { activeBackend } from '../backend-registry.js';
import { referenceBackend } from '../reference/backend.js';
import { createWasmBackend, supportedWasmVariants, type WasmVariant } from '../wasm/backend.js';

const WASM_PREFIX = 'wasm-';

const built = new Map<string, Backend>();

function wasmVariantOf(name: string): WasmVariant | undefined {
  if (!name.startsWith(WASM_PREFIX)) return undefined;
  const variant = name.slice(WASM_PREFIX.length);
  return supportedWasmVariants().find((supported) => supported === variant);
}

/** Whether a worker can rebuild the backend called `name`. */
export function workersCanRun(name: string): boolean {
  return name === referenceBackend.name || wasmVariantOf(name) !== undefined;
}

/** The backend called `name`, for a worker; throws when this runtime cannot provide it. */
export function backendNamed(name: string): Backend {
  const active = activeBackend();
  if (active.name === name) return active;
  if (name === referenceBackend.name) return referenceBackend;
  let backend = built.get(name);
  if (!backend) {
    const variant = wasmVariantOf(name);
    if (!variant) {
      throw new Error(
        `worker: no backend named ${JSON.stringify(name)} here (workers can run 'reference' and ${supportedWasmVariants()
          .map((v) => `'${WASM_PREFIX}${v}'`)
          .join(', ')})`,
      );
    }
    backend = createWasmBackend({ variant });
    built.set(name, backend);
  }
  return backend;
}
