// The Web Worker module of the data-parallel engine in the browser: exposes one call through
// comlink, which serves this worker's replica until the trainer says stop. Atomics.wait is
// allowed in a worker, so the replica blocks there between steps like a Node thread.

import { expose } from 'comlink';
import { type ReplicaInit, serveReplica } from './serve.js';

const api = {
  run(init: ReplicaInit): Promise<void> {
    // The nearest a worker comes to dying on its own: it closes itself.
    return serveReplica(init, () => globalThis.close());
  },
};

export type ReplicaWorkerApi = typeof api;

expose(api);
