// The piscina worker module of the data-parallel engine in Node: one long task per thread, which
// serves its replica until the trainer says stop. Loaded from dist/data-parallel/ when built, or
// from this .ts file through tsx when the package runs from source.

import { serveReplica } from './serve.js';
import type { ReplicaInit } from './threads.js';

export default function runReplica(init: ReplicaInit): Promise<void> {
  // A worker_thread's process.exit ends this thread only, as a crash would.
  return serveReplica(init, () => process.exit(1));
}
