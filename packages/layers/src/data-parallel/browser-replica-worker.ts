// The Web Worker module of the data-parallel engine in the browser: exposes one call through
// comlink, which serves this worker's replica until the trainer says stop. Atomics.wait is
// allowed in a worker, so the replica blocks there between steps like a Node thread.

import { expose } from 'comlink';
import type { ReplicaWorkerApi } from './browser-threads.js';
import { serveReplica } from './serve.js';
import type { ReplicaInit } from './threads.js';

const api: ReplicaWorkerApi = {
  run(init: ReplicaInit): Promise<void> {
    // The nearest a worker comes to dying on its own: it closes itself.
    return serveReplica(init, () => globalThis.close());
  },
};

expose(api);
