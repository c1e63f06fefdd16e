// Replica threads in Node: piscina over worker_threads, one thread per replica, each running a
// single task that lasts the whole fit. The task's arguments carry the shared memory (posting a
// SharedArrayBuffer shares it); its promise settles when the replica stops or fails.

import { nodeWorkerEntry } from '@convoy/ops/node-worker-entry';
import { Piscina } from 'piscina';
import type { ReplicaInit, ReplicaThreads } from './threads.js';

export function startReplicaThreads(count: number): ReplicaThreads {
  const entry = nodeWorkerEntry(new URL('./node-replica-worker.js', import.meta.url), 'fit');
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
