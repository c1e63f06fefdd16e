// One instance of the WebAssembly kernels and the memory it works in. The modules are compiled
// once per variant from the base64 the build generated (synchronously, so the sync ops can use
// them); each backend owns an instance, and each worker builds its own backend. The stub
// runtime has no allocator: an Arena here hands out 64-byte-aligned regions above heapBase(),
// grows the memory when a call needs more, and is reset at the start of every call, so memory is
// reused across calls.

import { wasmBase64 as relaxedBase64 } from './generated/relaxed.js';
import { wasmBase64 as simdBase64 } from './generated/simd.js';

export type WasmVariant = 'relaxed-simd' | 'simd';

/** The functions assembly/index.ts exports. Pointers are byte offsets, counts are elements. */
export interface KernelExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  setGeometry(
    inHeight: number,
    inWidth: number,
    inChannels: number,
    outHeight: number,
    outWidth: number,
    filterHeight: number,
    filterWidth: number,
    strideHeight: number,
    strideWidth: number,
    dilationHeight: number,
    dilationWidth: number,
    padTop: number,
    padLeft: number,
  ): void;
  gemmPacked(
    aPacked: number,
    bPacked: number,
    rows: number,
    cols: number,
    depth: number,
    c: number,
    ldc: number,
    accumulate: number,
  ): void;
  packA(
    src: number,
    rowStride: number,
    depthStride: number,
    rows: number,
    depth: number,
    dst: number,
  ): void;
  packB(
    src: number,
    depthStride: number,
    colStride: number,
    depth: number,
    cols: number,
    dst: number,
  ): void;
  im2colPacked(x: number, rowStart: number, rows: number, dst: number): void;
  im2colTransposedPacked(x: number, rowStart: number, rows: number, dst: number): void;
  col2imAdd(columns: number, rowStart: number, rows: number, dx: number): void;
  convDirect(x: number, filter: number, outChannels: number, items: number, out: number): void;
  // Winograd F(m×m, 3×3), m = 2 or 4 (assembly/winograd.ts, winograd-gradient.ts).
  winogradFilter(filter: number, outChannels: number, dst: number, m: number): void;
  winogradInputRows(x: number, tileStart: number, tiles: number, dst: number, m: number): void;
  winogradMultiply(
    v: number,
    u: number,
    products: number,
    tiles: number,
    outChannels: number,
    m: number,
  ): void;
  winogradOutput(
    products: number,
    tileStart: number,
    tiles: number,
    outChannels: number,
    out: number,
    bias: number,
    addBias: number,
    relu: number,
    m: number,
  ): void;
  winogradInputColumns(x: number, tileStart: number, tiles: number, dst: number, m: number): void;
  winogradGradientColumns(
    dy: number,
    tileStart: number,
    tiles: number,
    outChannels: number,
    dst: number,
    m: number,
  ): void;
  winogradMultiplyFilter(
    v: number,
    z: number,
    sums: number,
    tiles: number,
    outChannels: number,
    accumulate: number,
    m: number,
  ): void;
  winogradFilterGradient(sums: number, outChannels: number, dw: number, m: number): void;
  biasActivate(data: number, rows: number, cols: number, bias: number, relu: number): void;
  adamUpdate(
    param: number,
    grad: number,
    m: number,
    v: number,
    count: number,
    stepSize: number,
    beta1: number,
    beta2: number,
    epsilon: number,
  ): void;
  maxPool2x2(x: number, out: number, inRows: number, inWidth: number, channels: number): void;
  maxPool2x2Backward(
    dy: number,
    x: number,
    dx: number,
    inRows: number,
    inWidth: number,
    channels: number,
  ): void;
  avgPool2x2(x: number, out: number, inRows: number, inWidth: number, channels: number): void;
  avgPool2x2Backward(
    dy: number,
    dx: number,
    inRows: number,
    inWidth: number,
    channels: number,
  ): void;
  /** `sums` is `channels` float64s, added to (not overwritten). */
  biasReluBackward(
    dy: number,
    y: number,
    dx: number,
    sums: number,
    rows: number,
    channels: number,
  ): void;
}

const compiled = new Map<WasmVariant, WebAssembly.Module>();

function decodeBase64(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function compiledModule(variant: WasmVariant): WebAssembly.Module {
  let module = compiled.get(variant);
  if (!module) {
    module = new WebAssembly.Module(
      decodeBase64(variant === 'relaxed-simd' ? relaxedBase64 : simdBase64),
    );
    compiled.set(variant, module);
  }
  return module;
}

const pageBytes = 65536;
const alignment = 64;

/** Bump allocation over the instance's memory; offsets are bytes. */
export class Arena {
  private next = 0;
  private view: Float32Array | undefined;

  constructor(
    private readonly memory: WebAssembly.Memory,
    private readonly base: number,
  ) {
    this.next = base;
  }

  /** Frees everything: the start of a kernel call. */
  reset(): void {
    this.next = this.base;
  }

  /** A region of `floats` float32 (plus 32 bytes of slack for kernels that read past the end). */
  allocate(floats: number): number {
    const offset = this.next;
    this.next = Math.ceil((offset + floats * 4 + 32) / alignment) * alignment;
    const missing = this.next - this.memory.buffer.byteLength;
    if (missing > 0) this.memory.grow(Math.ceil(missing / pageBytes));
    return offset;
  }

  /** A Float32Array over the whole memory (re-created after the memory grew). */
  floats(): Float32Array {
    if (!this.view || this.view.buffer !== this.memory.buffer) {
      this.view = new Float32Array(this.memory.buffer);
    }
    return this.view;
  }

  /** Copies `source` into memory at `offset`. */
  write(offset: number, source: Float32Array): void {
    this.floats().set(source, offset >> 2);
  }

  /** Sets `floats` float32 (or floats / 2 float64) at `offset` to zero. */
  zero(offset: number, floats: number): void {
    this.floats().fill(0, offset >> 2, (offset >> 2) + floats);
  }

  /** The `length` float64s at `offset` (8-byte aligned), as a view into memory. */
  readDoubles(offset: number, length: number): Float64Array {
    return new Float64Array(this.memory.buffer, offset, length);
  }

  /** The `length` floats at `offset`, as a view into memory (valid until the memory grows). */
  read(offset: number, length: number): Float32Array {
    return this.floats().subarray(offset >> 2, (offset >> 2) + length);
  }
}

export interface KernelInstance {
  variant: WasmVariant;
  kernels: KernelExports;
  arena: Arena;
}

/** A fresh instance of a variant with its own memory. */
export function instantiateKernels(variant: WasmVariant): KernelInstance {
  const instance = new WebAssembly.Instance(compiledModule(variant), {});
  const kernels = instance.exports as unknown as KernelExports;
  return { variant, kernels, arena: new Arena(kernels.memory, kernels.heapBase()) };
}
