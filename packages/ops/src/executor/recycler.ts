// Storage for executor results that the caller did not give an `out` for, in the spirit of PyTorch's
// caching allocator: a result's SharedArrayBuffer goes back to a free list once the caller has
// dropped every reference to it, and the next result of the same size reuses it. A fresh buffer
// costs a page fault per 4 KiB on its first write (in the worker that writes it): measured 43 ms
// against 22 ms with a reused `out` for model 1's second conv layer on two workers.
//
// Three facts of V8 and glibc shape this file (measured in Node 20 here with
// test/executor/measure-recycler.ts):
// - The garbage collector does not count SharedArrayBuffers as memory pressure. A loop of executor
//   calls without `out` grew to 1.3 GB of live buffers in 200 calls without one collection, so a
//   FinalizationRegistry on the buffers alone never fired. A plain ArrayBuffer is counted (the
//   same loop with ArrayBuffers was collected every few calls). So each result carries a
//   *ballast*: an ArrayBuffer of its size, reachable only through the result (a WeakMap entry),
//   which tells the collector how much memory dropping the result frees.
// - The ballast must never touch memory. A plain ArrayBuffer is calloc'd, and once glibc serves
//   it from freed heap memory it zero-fills it: 1,534 page faults per call, as many as the fresh
//   result it was meant to save. A resizable ArrayBuffer (maxByteLength) is reserved address
//   space, committed but untouched: no faults, no resident memory.
// - structuredClone of a SharedArrayBuffer in the same thread gives a second object over the same
//   memory. The recycler keeps that clone (the *anchor*) as the finalizer's held value: when the
//   caller's buffer object and every view of it are collected, the memory is still mapped and
//   already faulted in, and the anchor goes on the free list.
//
// Bound: the free list holds at most `maxFreeBytes` (default 256 MiB); a released buffer that
// would exceed it is let go. Results the caller dropped but the collector has not yet found are
// bounded by V8's allowance for external memory between collections (about 64 MiB of ballast:
// a collection every ~10 calls of a 6.4 MB result here, so ~10–20 such buffers in rotation).
// Buffers the caller still holds are the caller's, as without the recycler.
//
// The one rule for callers: a result handed to another thread (postMessage) must stay referenced
// on this one while that thread uses it — the recycler only sees this thread's objects.

/** ArrayBuffer's ES2024 constructor (Node 20, Chromium 111+), which this package's TS lib predates. */
const ResizableArrayBuffer = ArrayBuffer as unknown as new (
  byteLength: number,
  options: { maxByteLength: number },
) => ArrayBuffer;

/** Default cap on the bytes of released buffers kept for reuse. */
export const DEFAULT_MAX_FREE_BYTES = 256 * 1024 * 1024;

export interface RecyclerStats {
  /** Results served from a released buffer. */
  reused: number;
  /** Results that needed a new buffer. */
  allocated: number;
  /** Bytes on the free list now. */
  freeBytes: number;
}

export interface StorageRecycler {
  /** A float32 array of `size` elements on shared memory, recycled once unreachable. */
  take(size: number): Float32Array;
  stats(): RecyclerStats;
}

/** A recycler keeping at most `maxFreeBytes` of released storage (0: a plain allocator). */
export function createRecycler(maxFreeBytes = DEFAULT_MAX_FREE_BYTES): StorageRecycler {
  const free = new Map<number, SharedArrayBuffer[]>();
  const stats: RecyclerStats = { reused: 0, allocated: 0, freeBytes: 0 };
  const ballast = new WeakMap<SharedArrayBuffer, ArrayBuffer>();
  const registry = new FinalizationRegistry<SharedArrayBuffer>((anchor) => {
    if (stats.freeBytes + anchor.byteLength > maxFreeBytes) return;
    let list = free.get(anchor.byteLength);
    if (!list) {
      list = [];
      free.set(anchor.byteLength, list);
    }
    list.push(anchor);
    stats.freeBytes += anchor.byteLength;
  });

  return {
    take(size) {
      const bytes = size * Float32Array.BYTES_PER_ELEMENT;
      let buffer = free.get(bytes)?.pop();
      if (buffer) {
        stats.reused++;
        stats.freeBytes -= bytes;
      } else {
        stats.allocated++;
        buffer = new SharedArrayBuffer(bytes);
      }
      // A zero-length buffer is not worth tracking, and with a cap of 0 nothing is kept.
      if (bytes > 0 && maxFreeBytes > 0) {
        registry.register(buffer, structuredClone(buffer));
        ballast.set(buffer, new ResizableArrayBuffer(bytes, { maxByteLength: bytes }));
      }
      return new Float32Array(buffer);
    },
    stats: () => ({ ...stats }),
  };
}
