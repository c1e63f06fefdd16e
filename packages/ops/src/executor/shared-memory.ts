// Getting a caller's array onto shared memory. Workers can only see a SharedArrayBuffer, so an
// input that lives on an ordinary ArrayBuffer is copied once per call; outputs are allocated shared
// from the start (recycler.ts), so a chain of executor calls (one layer's output is the next one's
// input) copies nothing after its first input.

import { allocate, isShared } from '@convoy/tensor';

/**
 * `data` itself when it already sits on a SharedArrayBuffer, else a shared copy of it. `onCopy`
 * is told about each copy so the executor can report how often callers hand it unshared tensors.
 */
export function sharedView(data: Float32Array, onCopy: (elements: number) => void): Float32Array {
  if (isShared(data)) return data;
  const copy = allocate('float32', data.length, { shared: true });
  copy.set(data);
  onCopy(data.length);
  return copy;
}
