// A worker executor, independent of how tasks reach a thread: plan the call with the kernel's own
// definition, decide inline versus split, cut the definition's items into one range per worker,
// run the kernel's compute on each range in the workers, and assemble the result — one function
// for every kernel of the table. The Node executor (piscina) and the browser one (comlink) differ
// only in `run`.

import { canShareMemory } from '@convoy/tensor';
import { activeBackend } from '../backend-registry.js';
import type { KernelArray, KernelArrays, KernelCall } from '../kernel.js';
import { kernelNamed } from '../kernel-table.js';
import { type OutputAllocator, outputsOf } from '../run.js';
import { workersCanRun } from './backends.js';
import type { Executor } from './executor.js';
import { executorLoop, type RunWith } from './loop.js';
import { INLINE_FLOP_THRESHOLD, shardCount, splitRange } from './plan.js';
import { createRecycler } from './recycler.js';
import { sharedView } from './shared-memory.js';
import type { KernelTask, WorkerTask } from './tasks.js';

/** What an executor has done so far; lets tests (and curious users) see where work went. */
export interface ExecutorStats {
  /** Calls run on the calling thread because they were below the inline threshold. */
  inlineCalls: number;
  /** Calls sent to the workers (split into one task per shard). */
  shardedCalls: number;
  /** Tasks sent to workers (one per shard). */
  tasks: number;
  /** Inputs copied onto shared memory because the caller's array was not on a SharedArrayBuffer. */
  inputCopies: number;
  /** Elements copied by those copies. */
  copiedElements: number;
  /** Results (and per-shard partial sums) written into a released buffer of an earlier result. */
  recycledOutputs: number;
  /** Results (and partials) that needed a new SharedArrayBuffer. */
  newOutputs: number;
  /** Bytes of released results kept for reuse (at most the executor's maxRecycledBytes). */
  recycledBytesHeld: number;
}

export interface WorkerExecutor extends Executor {
  stats(): ExecutorStats;
  /** Sends one raw task to a worker; for the executor's own tests (fault injection). */
  runTask(task: WorkerTask): Promise<void>;
}

export interface ShardedExecutorOptions {
  workers: number;
  /** Below this many operations a call runs inline; default INLINE_FLOP_THRESHOLD. */
  inlineBelowFlops?: number | undefined;
  /** Cap on released result bytes kept for reuse (recycler.ts); 0 turns recycling off. */
  maxRecycledBytes?: number | undefined;
  /** Runs one task on some worker; resolves when its outputs are written. */
  run(task: WorkerTask): Promise<void>;
  /** Ends the threads. */
  close(): Promise<void>;
}

/** The most elements one output may have (2^31 - 1, the largest typed array index). */
export const MAX_OUTPUT_ELEMENTS = 2 ** 31 - 1;

export function shardedExecutor(options: ShardedExecutorOptions): WorkerExecutor {
  const { workers } = options;
  const inlineBelowFlops = options.inlineBelowFlops ?? INLINE_FLOP_THRESHOLD;
  const stats = { inlineCalls: 0, shardedCalls: 0, tasks: 0, inputCopies: 0, copiedElements: 0 };
  const recycler = createRecycler(options.maxRecycledBytes);
  let closed: Promise<void> | undefined;

  /**
   * Storage for a result without `out`, or for partial sums: shared wherever threads are. The
   * size comes from the call's shapes, which can ask for any amount: it is checked against the
   * limit first, and a failed allocation says what was asked for instead of the engine's words.
   */
  const allocator: OutputAllocator = {
    shared: canShareMemory(),
    fresh(size, op, float64) {
      const bytes = size * (float64 ? 8 : 4);
      if (size > MAX_OUTPUT_ELEMENTS) {
        throw new RangeError(
          `${op}: the output needs ${size} float${float64 ? 64 : 32} elements (${bytes} bytes), more than the limit of ${MAX_OUTPUT_ELEMENTS}`,
        );
      }
      try {
        // Float64 sums are a few per channel: not worth recycling.
        if (float64) {
          return canShareMemory()
            ? new Float64Array(new SharedArrayBuffer(bytes))
            : new Float64Array(size);
        }
        return canShareMemory() ? recycler.take(size) : new Float32Array(size);
      } catch (error) {
        throw new RangeError(
          `${op}: cannot allocate the output, ${size} float${float64 ? 64 : 32} elements (${bytes} bytes): ${(error as Error).message}`,
          { cause: error },
        );
      }
    },
  };

  const share = (data: Float32Array | undefined): Float32Array | undefined =>
    data &&
    sharedView(data, (elements) => {
      stats.inputCopies++;
      stats.copiedElements += elements;
    });

  /**
   * Runs every shard and waits for all of them, even when one fails, so no worker is still
   * writing into the output after the call has settled. The first failure becomes the error.
   */
  async function runShards(op: string, tasks: WorkerTask[]): Promise<void> {
    stats.shardedCalls++;
    stats.tasks += tasks.length;
    const results = await Promise.allSettled(tasks.map((task) => options.run(task)));
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) {
      const reason = failure.reason as unknown;
      const message = reason instanceof Error ? reason.message : String(reason);
      throw new Error(`${op}: a worker failed: ${message}`, { cause: reason });
    }
  }

  /** Each shard's task: 'part' outputs shared by all, 'sum' outputs a partial of its own. */
  function tasksOf(
    name: string,
    call: KernelCall,
    outputs: Record<string, KernelArray>,
    shards: number,
    storage: OutputAllocator,
  ): { tasks: KernelTask[]; partials: Record<string, KernelArray> } {
    const ranges = splitRange(call.items, shards);
    const inputs: Record<string, Float32Array | undefined> = {};
    for (const [role, data] of Object.entries(call.inputs)) inputs[role] = share(data);
    const partials: Record<string, KernelArray> = {};
    for (const [role, plan] of Object.entries(call.outputs)) {
      if (plan.shards === 'sum') {
        partials[role] = storage.fresh(plan.size * ranges.length, call.op, plan.float64 ?? false);
      }
    }
    const backend = activeBackend().name;
    const tasks = ranges.map((range, i): KernelTask => {
      const arrays: Record<string, KernelArray | undefined> = { ...inputs };
      for (const [role, plan] of Object.entries(call.outputs)) {
        const partial = partials[role];
        arrays[role] = partial
          ? partial.subarray(i * plan.size, (i + 1) * plan.size)
          : outputs[role];
      }
      const shard = call.shard?.(range) ?? { geometry: call.geometry, range };
      return { kind: 'kernel', kernel: name, backend, arrays, ...shard };
    });
    return { tasks, partials };
  }

  /** Adds each 'sum' output's partials in shard order into the output. */
  function addPartials(
    call: KernelCall,
    outputs: Record<string, KernelArray>,
    partials: Record<string, KernelArray>,
    shards: number,
  ): void {
    for (const [role, partial] of Object.entries(partials)) {
      const output = outputs[role]!;
      const size = call.outputs[role]!.size;
      output.set(partial.subarray(0, size));
      for (let shard = 1; shard < shards; shard++) {
        const offset = shard * size;
        for (let i = 0; i < size; i++) output[i]! += partial[offset + i]!;
      }
    }
  }

  const runWith: RunWith = async (storage, name, args) => {
    if (closed) throw new Error(`${name}: the executor is closed`);
    const kernel = kernelNamed(name);
    const call = kernel.plan(args, workers);
    const outputs = outputsOf(call, storage);
    const active = activeBackend();
    // A backend the workers cannot rebuild (one given to setBackend by the user) runs here.
    const shards = workersCanRun(active.name)
      ? shardCount(call.flops, call.items, workers, inlineBelowFlops)
      : 0;
    if (shards === 0) {
      stats.inlineCalls++;
      const arrays = { ...call.inputs, ...outputs } as KernelArrays;
      kernel.compute(active, arrays, call.geometry, call.whole);
      return kernel.result(call, outputs, args);
    }
    const { tasks, partials } = tasksOf(name, call, outputs, shards, storage);
    await runShards(name, tasks);
    addPartials(call, outputs, partials, tasks.length);
    return kernel.result(call, outputs, args);
  };

  const executor: WorkerExecutor = {
    workers,

    stats: () => {
      const { reused, allocated, freeBytes } = recycler.stats();
      return {
        ...stats,
        recycledOutputs: reused,
        newOutputs: allocated,
        recycledBytesHeld: freeBytes,
      };
    },

    async runTask(task) {
      if (closed) throw new Error('runTask: the executor is closed');
      return options.run(task);
    },

    // biome-ignore lint/suspicious/noExplicitAny: the table's entry for `name` returns this.
    run: (name, ...args) => runWith(allocator, name, args) as Promise<any>,

    loop: () => executorLoop(executor, runWith, allocator),

    close() {
      closed ??= options.close();
      return closed;
    },
  };
  return executor;
}
