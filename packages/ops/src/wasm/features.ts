// Run-time detection of WebAssembly SIMD and relaxed SIMD, by validating a tiny module that uses
// the instruction. Node 20 ships relaxed SIMD behind a V8 flag: it can be switched on from inside
// the process (not through NODE_OPTIONS), before the relaxed module is validated or compiled.

const header = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
// One function type () -> v128, one function of that type.
const typeAndFunction = [0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, 0x03, 0x02, 0x01, 0x00];
const v128Zero = [0xfd, 0x0c, ...new Array<number>(16).fill(0)];

function moduleWithBody(instructions: number[]): Uint8Array<ArrayBuffer> {
  const body = [0x00, ...instructions, 0x0b];
  const code = [0x01, body.length, ...body];
  return new Uint8Array([...header, ...typeAndFunction, 0x0a, code.length, ...code]);
}

/** (func (result v128) v128.const 0) */
const simdProbe = moduleWithBody(v128Zero);
/** (func (result v128) (f32x4.relaxed_madd (v128.const 0) (v128.const 0) (v128.const 0))) */
const relaxedProbe = moduleWithBody([...v128Zero, ...v128Zero, ...v128Zero, 0xfd, 0x85, 0x02]);

function validates(bytes: Uint8Array<ArrayBuffer>): boolean {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(bytes);
  } catch {
    return false;
  }
}

interface NodeProcess {
  getBuiltinModule?: (id: string) => unknown;
}

/**
 * In Node 20, turns on V8's relaxed SIMD flag. Uses process.getBuiltinModule (synchronous, no
 * import that a browser bundler would try to resolve); elsewhere it does nothing.
 */
function enableRelaxedSimdInNode(): void {
  const nodeProcess = (globalThis as { process?: NodeProcess }).process;
  const v8 = nodeProcess?.getBuiltinModule?.('node:v8') as
    | { setFlagsFromString(flags: string): void }
    | undefined;
  v8?.setFlagsFromString('--experimental-wasm-relaxed-simd');
}

export interface WasmFeatures {
  simd: boolean;
  relaxedSimd: boolean;
}

let detected: WasmFeatures | undefined;

/** What this runtime supports (detected once; may switch on Node's relaxed SIMD flag). */
export function wasmFeatures(): WasmFeatures {
  if (detected) return detected;
  const simd = validates(simdProbe);
  let relaxedSimd = simd && validates(relaxedProbe);
  if (simd && !relaxedSimd) {
    enableRelaxedSimdInNode();
    relaxedSimd = validates(relaxedProbe);
  }
  detected = { simd, relaxedSimd };
  return detected;
}

/** The probe modules, exported for the tests that check detection against the real builds. */
export const featureProbes = { simd: simdProbe, relaxedSimd: relaxedProbe };
