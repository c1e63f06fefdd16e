// The executor that runs each kernel on the calling thread: the baseline every worker executor
// must match, and what a page that cannot share memory falls back to.

import { activeBackend } from '../backend-registry.js';
import type { AnyKernel } from '../kernel.js';
import { kernelTable } from '../kernel-table.js';
import { plainAllocator, runKernel } from '../run.js';
import type { Executor } from './executor.js';
import { executorLoop, type RunWith } from './loop.js';

export function inlineExecutor(): Executor {
  // async: a bad argument rejects the promise, as it does with the worker executors.
  const runWith: RunWith = async (allocator, name, args) =>
    runKernel(activeBackend(), kernelTable[name] as AnyKernel, args, allocator);
  const executor: Executor = {
    workers: 1,
    // biome-ignore lint/suspicious/noExplicitAny: the table's entry for `name` returns this.
    run: (name, ...args) => runWith(plainAllocator, name, args) as Promise<any>,
    loop: () => executorLoop(executor, runWith, plainAllocator),
    close: async () => {},
  };
  return executor;
}
