// The worker executor in Node: piscina over worker_threads. Each shard of a call is one piscina task;
// its arrays sit on SharedArrayBuffers, so posting a task shares them instead of copying.

import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { ExecutorOptions } from './executor.js';
import { nodeWorkerEntry } from './node-worker-entry.js';
import { shardedExecutor, type WorkerExecutor } from './sharded.js';
import type { WorkerTask } from './tasks.js';

export function defaultWorkerCount(): number {
  return availableParallelism();
}

export function createPlatformWorkers(options: ExecutorOptions = {}): WorkerExecutor {
  const workers = options.workers ?? defaultWorkerCount();
  const entry = nodeWorkerEntry(new URL('./node-worker.js', import.meta.url), 'createExecutor');
  const piscina = new Piscina<WorkerTask, void>({
    filename: entry.filename,
    execArgv: entry.execArgv,
    minThreads: workers,
    maxThreads: workers,
    // Keep threads for the executor's lifetime: starting one costs tens of milliseconds, far more than
    // any task, and close() ends them.
    idleTimeout: Number.POSITIVE_INFINITY,
    // One task per thread at a time: a shard is CPU-bound, two on one thread would only queue.
    concurrentTasksPerWorker: 1,
  });
  // piscina emits 'error' when a worker dies between tasks; an unhandled 'error' event would
  // crash the process. The dead thread is replaced by piscina (minThreads), so nothing is lost.
  piscina.on('error', () => {});
  return shardedExecutor({
    workers,
    inlineBelowFlops: options.inlineFlopThreshold,
    maxRecycledBytes: options.maxRecycledBytes,
    run: (task) => piscina.run(task),
    close: () => piscina.destroy(),
  });
}
