// createExecutor: the one place a program turns a worker count into an executor. One worker
// computes on the calling thread; more split each call across that many threads — piscina in
// Node, comlink Web Workers in the browser (`#executor-platform` resolves, through the package's
// "imports" map, to one or the other, so a browser bundle never sees a Node import).

import { createPlatformWorkers } from '#executor-platform';
import type { Executor, ExecutorOptions } from './executor.js';
import { inlineExecutor } from './inline.js';
import type { WorkerExecutor } from './sharded.js';

function checkOptions(options: ExecutorOptions, who: string): void {
  const { workers } = options;
  if (workers !== undefined && (!Number.isSafeInteger(workers) || workers < 1)) {
    throw new RangeError(`${who}: workers must be a positive integer, got ${String(workers)}`);
  }
  const threshold = options.inlineFlopThreshold;
  if (threshold !== undefined && !(threshold >= 0)) {
    throw new RangeError(
      `${who}: inlineFlopThreshold must be a non-negative number, got ${String(threshold)}`,
    );
  }
  const recycled = options.maxRecycledBytes;
  if (recycled !== undefined && !(Number.isSafeInteger(recycled) && recycled >= 0)) {
    throw new RangeError(
      `${who}: maxRecycledBytes must be a non-negative integer, got ${String(recycled)}`,
    );
  }
}

/**
 * An executor for `workers` threads (default: the available cores): the calling thread alone for
 * 1, worker threads otherwise. Call close() when done so the threads end and the process can exit.
 */
export function createExecutor(options: ExecutorOptions = {}): Executor {
  checkOptions(options, 'createExecutor');
  if (options.workers === 1) return inlineExecutor();
  return createPlatformWorkers(options);
}

/**
 * An executor that splits each large call across `workers` worker threads (default: the available
 * cores), even one: a single worker keeps the calling thread (a page's) free. Calls below the
 * inline threshold still run on the calling thread. Call close() when done.
 */
export function createWorkerExecutor(options: ExecutorOptions = {}): WorkerExecutor {
  checkOptions(options, 'createWorkerExecutor');
  return createPlatformWorkers(options);
}
