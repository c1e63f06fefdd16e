// Replica threads in the browser: one module Web Worker per replica, driven through comlink. The
// page (or the worker that trains) must be cross-origin isolated for the shared memory; the
// trainer checks that before it starts any (see engine.ts).

import { type Remote, wrap } from 'comlink';
import type { ReplicaInit, ReplicaThreads } from './threads.js';

/** What browser-replica-worker.ts exposes through comlink. */
export interface ReplicaWorkerApi {
  run(init: ReplicaInit): Promise<void>;
}

export function startReplicaThreads(count: number): ReplicaThreads {
  const workers: Worker[] = [];
  const remotes: Remote<ReplicaWorkerApi>[] = [];
  for (let i = 0; i < count; i++) {
    const worker = new Worker(new URL('./browser-replica-worker.js', import.meta.url), {
      type: 'module',
      name: `convoy-replica-${i}`,
    });
    workers.push(worker);
    remotes.push(wrap<ReplicaWorkerApi>(worker));
  }
  return {
    run(init) {
      const worker = workers[init.index]!;
      // A worker that dies never answers comlink: its error event fails the run instead.
      const crashed = new Promise<never>((_, reject) => {
        const fail = (event: Event) => {
          event.preventDefault();
          const message = event instanceof ErrorEvent ? event.message : `worker ${event.type}`;
          reject(new Error(`replica ${init.index} crashed: ${message}`));
        };
        worker.addEventListener('error', fail);
        worker.addEventListener('messageerror', fail);
      });
      return Promise.race([remotes[init.index]!.run(init), crashed]);
    },
    async close() {
      for (const worker of workers) worker.terminate();
    },
  };
}
