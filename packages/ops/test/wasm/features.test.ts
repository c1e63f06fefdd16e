// Feature detection agrees with the real builds: the probe for an instruction validates exactly
// when the build that uses it does, and a backend refuses a build the runtime cannot run.

import { describe, expect, it } from 'vitest';
import { createWasmBackend, wasmBackendIfSupported } from '../../src/wasm/backend.js';
import { featureProbes, wasmFeatures } from '../../src/wasm/features.js';
import { wasmBase64 as relaxedBase64 } from '../../src/wasm/generated/relaxed.js';
import { wasmBase64 as simdBase64 } from '../../src/wasm/generated/simd.js';
import { measureKernelPeak } from '../../src/wasm/peak.js';

function bytesOf(base64: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from(base64, 'base64'));
}

describe('wasm feature detection', () => {
  const features = wasmFeatures();

  it('finds SIMD and (with the V8 flag it switches on in Node 20) relaxed SIMD', () => {
    expect(features).toEqual({ simd: true, relaxedSimd: true });
  });

  it('agrees with validating the generated builds', () => {
    expect(WebAssembly.validate(featureProbes.simd)).toBe(features.simd);
    expect(WebAssembly.validate(bytesOf(simdBase64))).toBe(features.simd);
    expect(WebAssembly.validate(featureProbes.relaxedSimd)).toBe(features.relaxedSimd);
    expect(WebAssembly.validate(bytesOf(relaxedBase64))).toBe(features.relaxedSimd);
  });

  it('the relaxed build really uses relaxed SIMD: the plain probe set does not cover it', () => {
    // A module with relaxed_madd is not plain SIMD: the relaxed probe differs from the SIMD probe
    // only by that instruction, and the two builds differ in bytes.
    expect(relaxedBase64).not.toBe(simdBase64);
    expect(featureProbes.relaxedSimd.length).toBeGreaterThan(featureProbes.simd.length);
  });

  it('prefers the relaxed build by default', () => {
    expect(wasmBackendIfSupported()?.name).toBe('wasm-relaxed-simd');
    expect(createWasmBackend().name).toBe('wasm-relaxed-simd');
  });

  it('rejects an unknown build with a clear error', () => {
    expect(() => createWasmBackend({ variant: 'avx512' as never })).toThrow(
      /wasm backend: this runtime cannot run the avx512 build/,
    );
  });
});

describe('measureKernelPeak', () => {
  it('reports the micro-kernel speed as a finite positive GFLOP/s figure', () => {
    const gflops = measureKernelPeak(30);
    expect(Number.isFinite(gflops)).toBe(true);
    expect(gflops).toBeGreaterThan(0);
  });
});
