// Where an op writes its result: storage the caller passes (`out`), reused across calls, or a
// fresh array. A fresh multi-megabyte array costs more than it seems: every 4 KiB page of it
// faults on first write (about 3 µs each here), which is half the time of a 1 → 32 channel
// convolution of a batch of 28×28 images. A training loop that writes each step's activations
// and gradients into the same buffers skips that.

import { allocate, isShared } from '@convoy/tensor';

export interface OutputOptions {
  /**
   * Storage for the result: a Float32Array of exactly the result's size, overwritten. For a
   * worker executor it must sit on a SharedArrayBuffer (allocate it with `{ shared: true }`). It must
   * not be one of the op's inputs. Default: a new array.
   */
  out?: Float32Array | undefined;
}

export interface OutputRequirements {
  /** The result goes to an executor's workers: out must be shared, a new array is allocated shared. */
  shared?: boolean;
  /** The op's inputs, which out must not overlap (kernels read them while writing out). */
  inputs?: readonly Float32Array[];
  /** What the caller calls the array, for errors (default 'out'). */
  name?: string;
}

/** `out` checked against the result's size, sharing and the inputs, or a new array. */
export function outputStorage(
  out: Float32Array | undefined,
  size: number,
  op: string,
  { shared = false, inputs = [], name = 'out' }: OutputRequirements = {},
): Float32Array {
  if (out === undefined) return allocate('float32', size, { shared });
  if (!(out instanceof Float32Array)) {
    throw new TypeError(`${op}: ${name} must be a Float32Array, got ${describeValue(out)}`);
  }
  if (out.length !== size) {
    throw new RangeError(
      `${op}: ${name} must hold the result's ${size} elements, got ${out.length}`,
    );
  }
  if (shared && !isShared(out)) {
    throw new TypeError(
      `${op}: ${name} must sit on a SharedArrayBuffer for the executor's workers to write it (allocate it with { shared: true })`,
    );
  }
  if (inputs.some((input) => overlaps(out, input))) {
    throw new RangeError(`${op}: ${name} must not share storage with an input of the op`);
  }
  return out;
}

function overlaps(a: Float32Array, b: Float32Array): boolean {
  return (
    a.buffer === b.buffer &&
    a.byteOffset < b.byteOffset + b.byteLength &&
    b.byteOffset < a.byteOffset + a.byteLength
  );
}

/** A value as an error message names it: its class, or the primitive itself. */
export function describeValue(value: unknown): string {
  return value === null || typeof value !== 'object' ? String(value) : value.constructor.name;
}
