// The worker pool in Node: piscina over worker_threads. Each shard of a call is one piscina task;
// its arrays sit on SharedArrayBuffers, so posting a task shares them instead of copying.

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Piscina } from 'piscina';
import type { PoolOptions } from './executor.js';
import { shardedExecutor, type WorkerPool } from './sharded.js';
import type { PoolTask } from './tasks.js';

/** Where the worker module is and how to start it: built JavaScript as is, TypeScript via tsx. */
interface WorkerEntry {
  filename: string;
  execArgv: string[];
}

function workerEntry(): WorkerEntry {
  const compiled = new URL('./node-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(compiled))) return { filename: compiled.href, execArgv: [] };
  // Running from source (tests, `--conditions=source`): the worker is TypeScript, so it needs
  // tsx's loader, and `source` so that @convoy/* imports inside it resolve to src/*.ts as well.
  // The loader's absolute path is passed because a bare `tsx` does not resolve from the worker
  // under pnpm's strict layout.
  let tsxLoader: string;
  try {
    tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  } catch (error) {
    throw new Error(
      'createPool: @convoy/ops is running from its TypeScript source, and its worker needs tsx to ' +
        'load (install tsx, or use the built package from dist)',
      { cause: error },
    );
  }
  return {
    filename: new URL('./node-worker.ts', import.meta.url).href,
    execArgv: ['--import', tsxLoader, '--conditions=source'],
  };
}

export function defaultWorkerCount(): number {
  return availableParallelism();
}

export function createPlatformPool(options: PoolOptions = {}): WorkerPool {
  const workers = options.workers ?? defaultWorkerCount();
  const entry = workerEntry();
  const piscina = new Piscina<PoolTask, void>({
    filename: entry.filename,
    execArgv: entry.execArgv,
    minThreads: workers,
    maxThreads: workers,
    // Keep threads for the pool's lifetime: starting one costs tens of milliseconds, far more than
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
