// An executor's loop view (Executor.loop): the storage policy of a loop whose steps make the same
// calls in the same order. The n-th result of a step reuses the n-th array of the step before when
// it has the same size, so a training loop writes its activations and gradients into the same
// storage every step instead of new arrays — a new multi-megabyte array costs a page fault per
// 4 KiB on its first write, thousands a step for the textbook's model 1, and garbage collection
// after. Keyed by position, not by caller: layers and apps only call kernels, and the loop that
// owns the steps (fit's replicas, evaluate, predict) says when one begins.

import type { KernelArray } from '../kernel.js';
import type { KernelName } from '../kernel-table.js';
import type { OutputAllocator } from '../run.js';
import type { Executor, ExecutorLoop } from './executor.js';

/** Runs kernel `name` with results from `allocator`: what each executor offers its loop views. */
export type RunWith = (
  allocator: OutputAllocator,
  name: KernelName,
  args: unknown[],
) => Promise<unknown>;

/** A loop view of `executor`, whose storage of last resort is `base`. */
export function executorLoop(
  executor: Executor,
  runWith: RunWith,
  base: OutputAllocator,
): ExecutorLoop {
  const slots: KernelArray[] = [];
  let next = 0;
  const allocator: OutputAllocator = {
    shared: base.shared,
    fresh(size, op, float64) {
      const position = next++;
      const slot = slots[position];
      const sameKind = float64 ? slot instanceof Float64Array : slot instanceof Float32Array;
      if (slot !== undefined && sameKind && slot.length === size) return slot;
      const array = base.fresh(size, op, float64);
      slots[position] = array;
      return array;
    },
  };
  const loop: ExecutorLoop = {
    workers: executor.workers,
    // biome-ignore lint/suspicious/noExplicitAny: the executor's own run types the result.
    run: (name, ...args) => runWith(allocator, name, args) as Promise<any>,
    loop: () => loop,
    step() {
      next = 0;
    },
    close: () => executor.close(),
  };
  return loop;
}
