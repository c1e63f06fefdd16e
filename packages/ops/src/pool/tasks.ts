// The messages the pool sends its workers, and the one function that runs them. The Backend
// kernels of the common form — two inputs, one output, a geometry, a range (TaskKernelName: all
// but biasAddReluBackward, which has two outputs) — share one task shape: the kernel's name, its
// arrays (on shared memory, so posting shares rather than copies) and the range of the batch or
// of the rows this worker owns. Node and browser workers both call the runner made here, so the
// two pools cannot drift apart.

import type { Backend, Range } from '../backend.js';
import { isTaskKernel, type TaskKernelName } from '../op-table.js';

/** One shard of one Backend kernel call. */
export interface KernelTask<K extends TaskKernelName = TaskKernelName> {
  kind: 'kernel';
  kernel: K;
  /** Name of the backend to compute with: the calling thread's active one. */
  backend: string;
  inputs: readonly [Float32Array, Float32Array];
  output: Float32Array;
  geometry: Parameters<Backend[K]>[3];
  range: Range;
  /**
   * The kernel's optional last argument: conv2d's epilogue (bias and ReLU; the bias is copied, it
   * is tiny) or a gradient's prologue (the ReLU's output, shared; this shard's bias sums).
   */
  fused?: Parameters<Backend[K]>[5];
}

/**
 * Fault injection, for the pool's own tests: 'throw' raises an error with `message` inside the
 * task; 'exit' ends the worker mid-task (process.exit in a worker_thread ends only that thread; a
 * Web Worker raises an uncaught error and never replies, which is how a crash looks from a page).
 */
export interface FaultTask {
  kind: 'fault';
  fault: 'throw' | 'exit';
  message: string;
}

export type PoolTask = KernelTask | FaultTask;

/** Kernels finish synchronously; only a simulated crash returns a promise, one that never settles. */
export type TaskResult = undefined | Promise<never>;

/** How to end this worker for a 'fault: exit' task. */
export type ExitWorker = (message: string) => never | Promise<never>;

type AnyKernel = (
  a: Float32Array,
  b: Float32Array,
  out: Float32Array,
  geometry: KernelTask['geometry'],
  range: Range,
  fused: unknown,
) => void;

/** Builds the task runner a worker exposes; results go to the shared arrays, nothing is returned. */
export function createTaskRunner(
  backend: (name: string) => Backend,
  exitWorker: ExitWorker,
): (task: PoolTask) => TaskResult {
  return (task) => {
    if (task.kind === 'fault') {
      if (task.fault === 'throw') throw new Error(task.message);
      return exitWorker(task.message);
    }
    if (task.kind !== 'kernel' || !isTaskKernel(task.kernel)) {
      throw new TypeError(`pool worker: unknown task ${JSON.stringify(task)}`);
    }
    const active = backend(task.backend);
    const kernel = active[task.kernel] as AnyKernel;
    kernel.call(
      active,
      task.inputs[0],
      task.inputs[1],
      task.output,
      task.geometry,
      task.range,
      task.fused,
    );
    return undefined;
  };
}
