// Where tensor elements live. Storage on a SharedArrayBuffer can be handed to worker threads and
// Web Workers without copying; ordinary storage is a plain ArrayBuffer.

import { type DType, type TypedArrayFor, typedArrayConstructor } from './dtype.js';

export interface AllocateOptions {
  /** Put the elements on a SharedArrayBuffer so workers can read and write them in place. */
  shared?: boolean;
}

/** Whether this runtime can allocate SharedArrayBuffers (browsers need cross-origin isolation). */
export function canShareMemory(): boolean {
  return typeof SharedArrayBuffer === 'function';
}

/** A zero-filled typed array of `size` elements of `dtype`, optionally on shared memory. */
export function allocate<D extends DType>(
  dtype: D,
  size: number,
  options: AllocateOptions = {},
): TypedArrayFor[D] {
  if (!Number.isSafeInteger(size) || size < 0) {
    throw new RangeError(`allocate: size must be a non-negative integer, got ${size}`);
  }
  const Ctor = typedArrayConstructor(dtype);
  if (!options.shared) return new Ctor(size);
  if (!canShareMemory()) {
    throw new Error(
      'allocate: SharedArrayBuffer is not available here (a browser page needs cross-origin isolation: ' +
        'Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)',
    );
  }
  return new Ctor(new SharedArrayBuffer(size * Ctor.BYTES_PER_ELEMENT), 0, size);
}

/** Whether a typed array's elements sit on a SharedArrayBuffer. */
export function isShared(data: ArrayBufferView): boolean {
  return canShareMemory() && data.buffer instanceof SharedArrayBuffer;
}
