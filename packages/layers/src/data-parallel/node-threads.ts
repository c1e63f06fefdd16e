// Replica threads in Node: piscina over worker_threads, one thread per replica, each running a
// single task that lasts the whole fit. The task's arguments carry the shared memory (posting a
// SharedArrayBuffer shares it); its promise settles when the replica stops or fails.

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Piscina } from 'piscina';
import type { ReplicaInit } from './serve.js';
import type { ReplicaThreads } from './threads.js';

/** The worker module: built JavaScript as is, or TypeScript through tsx when running from source. */
function workerEntry(): { filename: string; execArgv: string[] } {
  const compiled = new URL('./node-replica-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(compiled))) return { filename: compiled.href, execArgv: [] };
  // From source (tests, `--conditions=source`): tsx's loader by absolute path (a bare `tsx` does
  // not resolve inside the worker under pnpm's strict layout), and `source` so that @convoy/*
  // imports resolve to src/*.ts there too.
  let tsxLoader: string;
  try {
    tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  } catch (error) {
    throw new Error(
      'fit: @convoy/layers is running from its TypeScript source, and its replica threads need tsx ' +
        'to load (install tsx, or use the built package from dist)',
      { cause: error },
    );
  }
  return {
    filename: new URL('./node-replica-worker.ts', import.meta.url).href,
    execArgv: ['--import', tsxLoader, '--conditions=source'],
  };
}

export function startReplicaThreads(count: number): ReplicaThreads {
  const entry = workerEntry();
  const piscina = new Piscina<ReplicaInit, void>({
    filename: entry.filename,
    execArgv: entry.execArgv,
    minThreads: count,
    maxThreads: count,
    idleTimeout: Number.POSITIVE_INFINITY,
    concurrentTasksPerWorker: 1,
    // A replica task runs for the whole fit.
    maxQueue: count,
  });
  // A thread that dies between tasks emits 'error'; unhandled, it would end the process.
  piscina.on('error', () => {});
  return {
    run: (init) => piscina.run(init),
    close: () => piscina.destroy(),
  };
}
