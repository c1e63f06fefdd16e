// The executors: the inline one and the worker executors, with their sizing constant.

export { createExecutor, createWorkerExecutor } from './create-executor.js';
export type { Executor, ExecutorLoop, ExecutorOptions } from './executor.js';
export { inlineExecutor } from './inline.js';
export { INLINE_FLOP_THRESHOLD } from './plan.js';
export type { ExecutorStats, WorkerExecutor } from './sharded.js';
