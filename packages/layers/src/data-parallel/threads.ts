// Where replica threads come from: piscina in Node, comlink Web Workers in the browser. The
// package's "imports" map picks the file (#replica-threads), so a browser bundle never sees Node.

import type { ReplicaInit } from './serve.js';

export interface ReplicaThreads {
  /** Starts one replica on its own thread; settles when it stops, rejects when it fails. */
  run(init: ReplicaInit): Promise<void>;
  /** Ends every thread (after the replicas stopped, or to give up on them). */
  close(): Promise<void>;
}
