// The messages a worker executor sends its threads, and the one function that runs them. Every
// kernel shares one task shape: the kernel's name in the table, its arrays by role (on shared
// memory, so posting shares rather than copies), and the geometry and range of this shard. The
// worker finds the kernel's definition in the table and runs its compute, so no list of kernels is
// kept here. Node and browser workers both call the runner made here, so the two cannot drift.

import type { Backend, Range } from '../backend.js';
import type { KernelArrays } from '../kernel.js';
import { kernelNamed } from '../kernel-table.js';

/** One shard of one kernel call. */
export interface KernelTask {
  kind: 'kernel';
  /** The kernel's name in the table. */
  kernel: string;
  /** Name of the backend to compute with: the calling thread's active one. */
  backend: string;
  /** The call's inputs and this shard's outputs (a 'sum' output's own partial). */
  arrays: KernelArrays;
  geometry: unknown;
  range: Range;
}

/**
 * Fault injection, for the executors' own tests: 'throw' raises an error with `message` inside
 * the task; 'exit' ends the worker mid-task (process.exit in a worker_thread ends only that
 * thread; a Web Worker raises an uncaught error and never replies, which is how a crash looks
 * from a page).
 */
export interface FaultTask {
  kind: 'fault';
  fault: 'throw' | 'exit';
  message: string;
}

export type WorkerTask = KernelTask | FaultTask;

/** Kernels finish synchronously; only a simulated crash returns a promise, one that never settles. */
export type TaskResult = undefined | Promise<never>;

/** How to end this worker for a 'fault: exit' task. */
export type ExitWorker = (message: string) => never | Promise<never>;

/** Builds the task runner a worker exposes; results go to the shared arrays, nothing is returned. */
export function createTaskRunner(
  backend: (name: string) => Backend,
  exitWorker: ExitWorker,
): (task: WorkerTask) => TaskResult {
  return (task) => {
    if (task.kind === 'fault') {
      if (task.fault === 'throw') throw new Error(task.message);
      return exitWorker(task.message);
    }
    if (task.kind !== 'kernel') {
      throw new TypeError(`worker: unknown task ${JSON.stringify(task)}`);
    }
    kernelNamed(task.kernel).compute(backend(task.backend), task.arrays, task.geometry, task.range);
    return undefined;
  };
}
