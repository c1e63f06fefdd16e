// The WebAssembly SIMD backend's public surface, for the package index to re-export.

export {
  createWasmBackend,
  supportedWasmVariants,
  type WasmBackendOptions,
  type WasmVariant,
  wasmBackendIfSupported,
} from './backend.js';
export { type WasmFeatures, wasmFeatures } from './features.js';
export { measureKernelPeak } from './peak.js';
