// The worker executor in the browser: comlink over module Web Workers, one task per worker at a time.
// Shared memory needs cross-origin isolation (COOP same-origin + COEP require-corp); without it
// the executor says so once and runs everything on the page's thread. No Node imports here, so Vite
// can bundle this file; createExecutor reaches it through the `browser` condition.

import { type Remote, wrap } from 'comlink';
import type { BrowserWorkerApi } from './browser-worker.js';
import type { ExecutorOptions } from './executor.js';
import { shardedExecutor, type WorkerExecutor } from './sharded.js';
import type { WorkerTask } from './tasks.js';

export function defaultWorkerCount(): number {
  return globalThis.navigator?.hardwareConcurrency || 1;
}

let warnedNotIsolated = false;

/** Says once per page that the executor runs on one thread, and why. */
function warnNotIsolated(): void {
  if (warnedNotIsolated) return;
  warnedNotIsolated = true;
  console.warn(
    'createExecutor: this page is not cross-origin isolated, so workers cannot share memory; running ' +
      'on one thread. Serve it with Cross-Origin-Opener-Policy: same-origin and ' +
      'Cross-Origin-Embedder-Policy: require-corp to use the worker executor.',
  );
}

interface Job {
  task: WorkerTask;
  resolve(): void;
  reject(error: unknown): void;
}

interface Slot {
  worker: Worker;
  remote: Remote<BrowserWorkerApi>;
  job: Job | undefined;
  /** Crashes of this slot's workers since one last finished a task. */
  crashes: number;
}

/**
 * A slot whose workers crash this many times in a row without finishing a task (a worker script
 * that fails to load, say) is not restarted again: the executor fails every call instead of spinning.
 */
const MAX_CONSECUTIVE_CRASHES = 3;

export function createPlatformWorkers(options: ExecutorOptions = {}): WorkerExecutor {
  if (!globalThis.crossOriginIsolated || typeof SharedArrayBuffer !== 'function') {
    warnNotIsolated();
    return shardedExecutor({
      workers: 1,
      // Every call inline: there are no workers to send anything to.
      inlineBelowFlops: Number.POSITIVE_INFINITY,
      run: () =>
        Promise.reject(new Error('createExecutor: no workers (page not cross-origin isolated)')),
      close: async () => {},
    });
  }
  const workers = options.workers ?? defaultWorkerCount();
  const queue: Job[] = [];
  let closed = false;
  let broken: Error | undefined;

  const startSlot = (index: number, crashes = 0): Slot => {
    const worker = new Worker(new URL('./browser-worker.js', import.meta.url), {
      type: 'module',
      name: `convoy-worker-${index}`,
    });
    const slot: Slot = { worker, remote: wrap<BrowserWorkerApi>(worker), job: undefined, crashes };
    // An uncaught error means the worker may be in any state: fail its task, end it, start a
    // fresh one in its place, and carry on with the queue.
    const onCrash = (event: Event): void => {
      event.preventDefault();
      const message = event instanceof ErrorEvent ? event.message : `worker ${event.type}`;
      const job = slot.job;
      slot.job = undefined;
      worker.terminate();
      job?.reject(new Error(`worker crashed: ${message}`));
      if (closed || broken) return;
      if (slot.crashes + 1 >= MAX_CONSECUTIVE_CRASHES) {
        breakWorkers(new Error(`createExecutor: workers keep crashing (last: ${message})`));
        return;
      }
      slots[index] = startSlot(index, slot.crashes + 1);
      pump();
    };
    worker.addEventListener('error', onCrash);
    worker.addEventListener('messageerror', onCrash);
    return slot;
  };

  const slots: Slot[] = [];
  for (let i = 0; i < workers; i++) slots.push(startSlot(i));

  /** Ends every worker and fails every waiting and future task with `error`. */
  function breakWorkers(error: Error): void {
    broken = error;
    for (const slot of slots) {
      slot.worker.terminate();
      slot.job?.reject(error);
      slot.job = undefined;
    }
    for (const job of queue.splice(0)) job.reject(error);
  }

  function pump(): void {
    for (const slot of slots) {
      if (slot.job || queue.length === 0) continue;
      const job = queue.shift()!;
      slot.job = job;
      slot.remote.run(job.task).then(
        () => finish(slot, job, undefined),
        (error: unknown) => finish(slot, job, error ?? new Error('worker task failed')),
      );
    }
  }

  function finish(slot: Slot, job: Job, error: unknown): void {
    if (slot.job !== job) return; // the slot crashed and was replaced; the job is already settled
    slot.job = undefined;
    slot.crashes = 0;
    if (error === undefined) job.resolve();
    else job.reject(error);
    pump();
  }

  return shardedExecutor({
    workers,
    inlineBelowFlops: options.inlineFlopThreshold,
    maxRecycledBytes: options.maxRecycledBytes,
    run: (task) =>
      new Promise<void>((resolve, reject) => {
        if (closed || broken) {
          reject(broken ?? new Error('the worker executor is closed'));
          return;
        }
        queue.push({ task, resolve, reject });
        pump();
      }),
    close: async () => {
      closed = true;
      breakWorkers(new Error('the worker executor was closed while the task waited or ran'));
    },
  });
}
