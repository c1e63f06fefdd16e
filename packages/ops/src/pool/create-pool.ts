// createPool: one entry point for both runtimes. `#pool-platform` resolves, through the package's
// "imports" map, to the piscina pool in Node and to the comlink Web Worker pool under the
// `browser` condition, so a browser bundle never sees a Node import.

import { createPlatformPool } from '#pool-platform';
import type { PoolOptions } from './executor.js';
import type { WorkerPool } from './sharded.js';

/**
 * A worker pool whose async ops shard each large call across `workers` threads (default: the
 * available cores) and give the same numbers as the synchronous ops. Call close() when done so
 * the threads end and the process can exit.
 */
export function createPool(options: PoolOptions = {}): WorkerPool {
  const { workers } = options;
  if (workers !== undefined && (!Number.isSafeInteger(workers) || workers < 1)) {
    throw new RangeError(`createPool: workers must be a positive integer, got ${String(workers)}`);
  }
  const threshold = options.inlineFlopThreshold;
  if (threshold !== undefined && !(threshold >= 0)) {
    throw new RangeError(
      `createPool: inlineFlopThreshold must be a non-negative number, got ${String(threshold)}`,
    );
  }
  const recycled = options.maxRecycledBytes;
  if (recycled !== undefined && !(Number.isSafeInteger(recycled) && recycled >= 0)) {
    throw new RangeError(
      `createPool: maxRecycledBytes must be a non-negative integer, got ${String(recycled)}`,
    );
  }
  return createPlatformPool(options);
}
