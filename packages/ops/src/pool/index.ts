// The executors: the inline one and the worker pool, with the pool's sizing constants.

export { createPool } from './create-pool.js';
export type { Executor, PoolOptions } from './executor.js';
export { inlineExecutor } from './inline.js';
export { INLINE_FLOP_THRESHOLD } from './plan.js';
export type { PoolStats, WorkerPool } from './sharded.js';
