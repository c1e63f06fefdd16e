// The one interface every executor offers: run any kernel of the table (kernel-table.ts) by name,
// with the arguments its synchronous op takes, and get the same numbers as that op. The inline
// executor runs the call on this thread; the worker executors split it across threads. Either way
// the executor finds the storage for results the caller gave no `out` for; a loop view reuses it
// from one step to the next (loop.ts).

import type { KernelArgs, KernelName, KernelResult } from '../kernel-table.js';

export interface Executor {
  /** Threads that compute at once (1 for the inline executor). */
  readonly workers: number;
  /**
   * Kernel `kernel` on these arguments, e.g. `run('conv2d', x, filter, { padding: 'same' })`.
   * A bad argument rejects the promise with the synchronous op's error.
   */
  run<K extends KernelName>(kernel: K, ...args: KernelArgs<K>): Promise<KernelResult<K>>;
  /**
   * A view of this executor for a loop whose every step makes the same calls in the same order (a
   * training step, one batch of evaluate or predict). Each call's result without `out` goes into
   * the storage of the same call, by position, of the step before, so the loop allocates only in
   * its first step. Call `step()` as each step begins; after it, the previous step's results may
   * be overwritten (copy what you keep). On a view, loop() returns the view itself.
   */
  loop(): ExecutorLoop;
  /** Ends every thread the executor started; later calls reject. Safe to call twice. */
  close(): Promise<void>;
}

/** An executor whose results are reused step by step (Executor.loop). */
export interface ExecutorLoop extends Executor {
  /** Starts the next step: results are written from the first storage of the loop again. */
  step(): void;
}

export interface ExecutorOptions {
  /**
   * Threads to compute on; default: the available cores (os.availableParallelism or
   * navigator.hardwareConcurrency). With createExecutor, 1 computes on the calling thread.
   */
  workers?: number;
  /**
   * Calls below this many floating-point operations run on the calling thread (default
   * INLINE_FLOP_THRESHOLD). 0 sends every call to the workers.
   */
  inlineFlopThreshold?: number;
  /**
   * Results of calls without `out` reuse the storage of earlier results the caller has dropped
   * (collected by the garbage collector); this caps the bytes of such released storage kept for
   * reuse (default 256 MiB). 0 turns reuse off: every call then gets a new SharedArrayBuffer. A
   * result sent to another thread must stay referenced on this one while that thread uses it.
   */
  maxRecycledBytes?: number;
}
