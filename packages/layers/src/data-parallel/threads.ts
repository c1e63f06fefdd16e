// Where replica threads come from: piscina in Node, comlink Web Workers in the browser. The
// package's "imports" map picks the file (#replica-threads), so a browser bundle never sees Node.
// And what a replica thread is started with, which the trainer sends and serve.ts receives.

import type { OptimizerConfig } from '@convoy/optim';
import type { LossName } from '../losses.js';
import type { MetricName } from '../model.js';
import type { ModelTopology } from '../topology.js';
import type { ReplicaFault } from './faults.js';
import type { ReplicaMemory } from './memory.js';

/** What a replica thread is started with (structured-cloneable; the memory is shared). */
export interface ReplicaInit {
  topology: ModelTopology;
  seed: number;
  loss: LossName;
  metrics: MetricName[];
  optimizer: OptimizerConfig;
  memory: ReplicaMemory;
  index: number;
  replicas: number;
  /** Tests only: fail on purpose (see faults.ts). */
  fault?: ReplicaFault | undefined;
}

export interface ReplicaThreads {
  /** Starts one replica on its own thread; settles when it stops, rejects when it fails. */
  run(init: ReplicaInit): Promise<void>;
  /** Ends every thread (after the replicas stopped, or to give up on them). */
  close(): Promise<void>;
}

/** Threads a finished fit left, by count: the next fit with as many replicas takes them. */
const idle = new Map<number, ReplicaThreads>();

export interface ThreadLease {
  threads: ReplicaThreads;
  /**
   * Gives the threads back: kept for the next fit when every replica stopped cleanly (idle
   * threads keep neither a Node process nor a page busy), ended after a failure.
   */
  release(healthy: boolean): Promise<void>;
}

/**
 * Threads for `count` replicas: those an earlier fit left idle, or new ones from `start`. Reusing
 * them matters: a new thread runs its first few hundred steps on code its JavaScript and
 * WebAssembly compilers have not optimized yet (model 3 on 2 threads: 2.4 ms/step over the first
 * 400 steps, 1.1 ms/step after 800). A fit running while another holds them gets its own.
 */
export function leaseThreads(count: number, start: (count: number) => ReplicaThreads): ThreadLease {
  const kept = idle.get(count);
  idle.delete(count);
  const threads = kept ?? start(count);
  return {
    threads,
    async release(healthy) {
      if (healthy && !idle.has(count)) idle.set(count, threads);
      else await threads.close();
    },
  };
}
