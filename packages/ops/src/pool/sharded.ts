// The pool's ops, independent of how tasks reach a thread: validate exactly as the synchronous ops
// do, decide inline versus sharded, split the batch (or a product's rows, columns or depth) into
// one range per worker, run the same Backend method on each range in the workers, and assemble
// the result. The Node pool (piscina) and the browser pool (comlink) differ only in `run`.

import { allocate, canShareMemory, type Shape, Tensor } from '@convoy/tensor';
import type { MatMulGeometry, Range } from '../backend.js';
import { activeBackend } from '../backend-registry.js';
import {
  type Conv2dBackpropFilterOptions,
  type Conv2dBackwardOptions,
  type Conv2dForwardOptions,
  conv2dBackpropFilterGeometry,
  conv2dBackpropInputGeometry,
  conv2dEpilogue,
  conv2dGeometry,
  conv2dGradientPrologue,
} from '../conv2d.js';
import { outputShape, type WindowGeometry } from '../geometry.js';
import { type MatMulOptions, matMulGeometry } from '../matmul.js';
import { kernelTable, type TaskKernelName } from '../op-table.js';
import { outputStorage } from '../output.js';
import { expectFloat32 } from '../validate.js';
import { workersCanRun } from './backends.js';
import type { Executor } from './executor.js';
import {
  conv2dFlops,
  INLINE_FLOP_THRESHOLD,
  type MatMulSplit,
  matMulFlops,
  matMulSplit,
  shardCount,
  splitRange,
} from './plan.js';
import { createRecycler } from './recycler.js';
import { shardedPrologue } from './sharded-prologue.js';
import { sharedView } from './shared-memory.js';
import type { KernelTask, PoolTask } from './tasks.js';

/** What a pool has done so far; lets tests (and curious users) see where work went. */
export interface PoolStats {
  /** Calls run on the calling thread because they were below the inline threshold. */
  inlineCalls: number;
  /** Calls sent to the workers (split into one task per shard). */
  shardedCalls: number;
  /** Tasks sent to workers (one per shard). */
  tasks: number;
  /** Inputs copied onto shared memory because the caller's tensor was not on a SharedArrayBuffer. */
  inputCopies: number;
  /** Elements copied by those copies. */
  copiedElements: number;
  /** Results (and per-shard partial sums) written into a released buffer of an earlier result. */
  recycledOutputs: number;
  /** Results (and partials) that needed a new SharedArrayBuffer. */
  newOutputs: number;
  /** Bytes of released results kept for reuse (at most the pool's maxRecycledBytes). */
  recycledBytesHeld: number;
}

export interface WorkerPool extends Executor {
  stats(): PoolStats;
  /** Sends one raw task to a worker; for the pool's own tests (fault injection). */
  runTask(task: PoolTask): Promise<void>;
}

export interface ShardedExecutorOptions {
  workers: number;
  /** Below this many operations a call runs inline; default INLINE_FLOP_THRESHOLD. */
  inlineBelowFlops?: number | undefined;
  /** Cap on released result bytes kept for reuse (recycler.ts); 0 turns recycling off. */
  maxRecycledBytes?: number | undefined;
  /** Runs one task on some worker; resolves when its outputs are written. */
  run(task: PoolTask): Promise<void>;
  /** Ends the threads. */
  close(): Promise<void>;
}

/** How one kernel call is cut into tasks: over how many items, and what each range's task is. */
interface Split<K extends TaskKernelName> {
  items: number;
  /** Each shard writes a whole partial output, summed afterwards. */
  summed: boolean;
  /** The range an inline call runs over. */
  whole: Range;
  shard(range: Range): { geometry: KernelTask<K>['geometry']; range: Range };
}

type ConvKernel = 'conv2d' | 'conv2dBackpropInput' | 'conv2dBackpropFilter';

/** What runKernel needs to know of one call. */
interface KernelCall<K extends TaskKernelName> {
  inputs: readonly [Float32Array, Float32Array];
  outputSize: number;
  geometry: KernelTask<K>['geometry'];
  flops: number;
  split: Split<K>;
  out: Float32Array | undefined;
  /**
   * The kernel's last argument (an epilogue or a prologue) for each shard, or for the whole call
   * when it runs inline (shard undefined).
   */
  fused?: ((shard: number | undefined) => KernelTask<K>['fused']) | undefined;
  /** Arrays the kernel reads besides its inputs (out must not overlap them). */
  alsoReads?: readonly Float32Array[];
}

/** A matrix product cut along `axis`: rows of the output, its columns, or the shared dimension. */
function matMulSplitOf(g: MatMulGeometry, axis: MatMulSplit): Split<'matMul'> {
  const allRows = { start: 0, end: g.m };
  if (axis === 'rows') {
    return {
      items: g.m,
      summed: false,
      whole: allRows,
      shard: (range) => ({ geometry: g, range }),
    };
  }
  return {
    items: axis === 'columns' ? g.n : g.k,
    summed: axis === 'depth',
    whole: allRows,
    shard: (range) => ({ geometry: { ...g, [axis]: range }, range: allRows }),
  };
}

/** The most elements one pool output may have (2^31 - 1, the largest typed array index). */
export const MAX_OUTPUT_ELEMENTS = 2 ** 31 - 1;

export function shardedExecutor(options: ShardedExecutorOptions): WorkerPool {
  const { workers } = options;
  const inlineBelowFlops = options.inlineBelowFlops ?? INLINE_FLOP_THRESHOLD;
  const stats = {
    inlineCalls: 0,
    shardedCalls: 0,
    tasks: 0,
    inputCopies: 0,
    copiedElements: 0,
  };
  const recycler = createRecycler(options.maxRecycledBytes);
  /**
   * Storage for a result without `out`, or for partial sums: shared wherever threads are. The
   * size comes from the call's shapes, which can ask for any amount: it is checked against the
   * limit first, and a failed allocation says what was asked for instead of the engine's words.
   */
  const fresh = (size: number, op: string): Float32Array => {
    const bytes = size * Float32Array.BYTES_PER_ELEMENT;
    if (size > MAX_OUTPUT_ELEMENTS)
      throw new RangeError(
        `${op}: the output needs ${size} float32 elements (${bytes} bytes), more than the limit of ${MAX_OUTPUT_ELEMENTS}`,
      );
    try {
      return canShareMemory() ? recycler.take(size) : allocate('float32', size);
    } catch (error) {
      throw new RangeError(
        `${op}: cannot allocate the output, ${size} float32 elements (${bytes} bytes): ${(error as Error).message}`,
        { cause: error },
      );
    }
  };
  let closed: Promise<void> | undefined;

  const share = (data: Float32Array): Float32Array =>
    sharedView(data, (elements) => {
      stats.inputCopies++;
      stats.copiedElements += elements;
    });

  const checkOpen = (op: string): void => {
    if (closed) throw new Error(`${op}: the worker pool is closed`);
  };

  /**
   * Runs every shard and waits for all of them, even when one fails, so no worker is still
   * writing into the output after the call has settled. The first failure becomes the error.
   */
  async function runShards(op: string, tasks: PoolTask[]): Promise<void> {
    stats.shardedCalls++;
    stats.tasks += tasks.length;
    const results = await Promise.allSettled(tasks.map((task) => options.run(task)));
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) {
      const reason = failure.reason as unknown;
      const message = reason instanceof Error ? reason.message : String(reason);
      throw new Error(`${op}: a pool worker failed: ${message}`, { cause: reason });
    }
  }

  /**
   * One Backend kernel call, inline or sharded. `split` says over what the call is cut (batch
   * items, rows, columns or depth) and how a range becomes a task. Disjoint splits write parts of
   * one output; summed splits ('batch-sum' kernels, depth ranges) each write a whole partial
   * output, added here in shard order so the result does not depend on which worker finished first.
   */
  async function runKernel<K extends TaskKernelName>(
    kernel: K,
    call: KernelCall<K>,
  ): Promise<Float32Array> {
    const { inputs, outputSize, geometry, flops, split, out, fused, alsoReads = [] } = call;
    const output =
      out === undefined
        ? fresh(outputSize, kernel)
        : outputStorage(out, outputSize, kernel, {
            shared: canShareMemory(),
            inputs: [...inputs, ...alsoReads],
          });
    const active = activeBackend();
    // A backend the workers cannot rebuild (one given to setBackend by the user) runs here.
    const shards = workersCanRun(active.name)
      ? shardCount(flops, split.items, workers, inlineBelowFlops)
      : 0;
    if (shards === 0) {
      stats.inlineCalls++;
      (active[kernel] as (...args: unknown[]) => void).call(
        active,
        inputs[0],
        inputs[1],
        output,
        geometry,
        split.whole,
        fused?.(undefined),
      );
      return output;
    }
    const ranges = splitRange(split.items, shards);
    const shared = [share(inputs[0]), share(inputs[1])] as const;
    const partials = split.summed ? fresh(outputSize * ranges.length, kernel) : output;
    await runShards(
      kernel,
      ranges.map((range, i) => ({
        kind: 'kernel',
        kernel,
        backend: active.name,
        inputs: shared,
        output: split.summed ? partials.subarray(i * outputSize, (i + 1) * outputSize) : output,
        ...split.shard(range),
        fused: fused?.(i),
      })),
    );
    if (split.summed) {
      output.set(partials.subarray(0, outputSize));
      for (let shard = 1; shard < ranges.length; shard++) {
        const offset = shard * outputSize;
        for (let i = 0; i < outputSize; i++) output[i]! += partials[offset + i]!;
      }
    }
    return output;
  }

  /** A convolution kernel's split: over batch items, summed for the filter gradient. */
  function batchSplit<K extends ConvKernel>(kernel: K, g: WindowGeometry): Split<K> {
    const whole = { start: 0, end: g.batch };
    return {
      items: g.batch,
      summed: kernelTable[kernel].shard === 'batch-sum',
      whole,
      shard: (range) => ({ geometry: g, range }),
    };
  }

  return {
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

    runTask(task) {
      checkOpen('runTask');
      return options.run(task);
    },

    async conv2d(x, filter, convOptions: Conv2dForwardOptions = {}) {
      const op = 'conv2d';
      checkOpen(op);
      expectFloat32(x, op, 'input');
      expectFloat32(filter, op, 'filter');
      const g = conv2dGeometry(x.shape, filter.shape, convOptions);
      const epilogue = conv2dEpilogue(convOptions, g);
      const shape = outputShape(g);
      const size = shape[0] * shape[1] * shape[2] * shape[3];
      const out = await runKernel(op, {
        inputs: [x.data, filter.data],
        outputSize: size,
        geometry: g,
        flops: conv2dFlops(g),
        split: batchSplit(op, g),
        out: convOptions.out,
        fused: epilogue && (() => epilogue),
      });
      return new Tensor(out, shape, 'float32');
    },

    async conv2dBackpropInput(dy, filter, xShape: Shape, convOptions: Conv2dBackwardOptions = {}) {
      const op = 'conv2dBackpropInput';
      checkOpen(op);
      expectFloat32(dy, op, 'dy');
      expectFloat32(filter, op, 'filter');
      const g = conv2dBackpropInputGeometry(xShape, filter.shape, dy.shape, convOptions);
      const relu = { reluOutput: convOptions.reluOutput };
      const prologue = shardedPrologue(conv2dGradientPrologue(relu, dy, g, op), share);
      const dx = await runKernel(op, {
        inputs: [dy.data, filter.data],
        outputSize: g.batch * g.inHeight * g.inWidth * g.inChannels,
        geometry: g,
        // Same multiply-adds as the forward pass, scattered the other way.
        flops: conv2dFlops(g),
        split: batchSplit(op, g),
        out: convOptions.out,
        fused: prologue.forShard,
        alsoReads: prologue.alsoReads,
      });
      return new Tensor(dx, xShape, 'float32');
    },

    async conv2dBackpropFilter(
      x,
      dy,
      filterShape: Shape,
      convOptions: Conv2dBackpropFilterOptions = {},
    ) {
      const op = 'conv2dBackpropFilter';
      checkOpen(op);
      expectFloat32(x, op, 'input');
      expectFloat32(dy, op, 'dy');
      const g = conv2dBackpropFilterGeometry(x.shape, filterShape, dy.shape, convOptions);
      const prologue = shardedPrologue(conv2dGradientPrologue(convOptions, dy, g, op), share);
      const dw = await runKernel(op, {
        inputs: [x.data, dy.data],
        outputSize: g.filterHeight * g.filterWidth * g.inChannels * g.outChannels,
        geometry: g,
        flops: conv2dFlops(g),
        split: batchSplit(op, g),
        out: convOptions.out,
        fused: prologue.forShard,
        alsoReads: prologue.alsoReads,
      });
      const biasSums = prologue.sumBias();
      if (biasSums) convOptions.biasOut!.set(biasSums);
      return new Tensor(dw, filterShape, 'float32');
    },

    async matMul(a, b, matMulOptions: MatMulOptions = {}) {
      const op = 'matMul';
      checkOpen(op);
      expectFloat32(a, op, 'a');
      expectFloat32(b, op, 'b');
      const g = matMulGeometry(a.shape, b.shape, matMulOptions);
      const out = await runKernel(op, {
        inputs: [a.data, b.data],
        outputSize: g.m * g.n,
        geometry: g,
        flops: matMulFlops(g),
        split: matMulSplitOf(g, matMulSplit(g, workers)),
        out: matMulOptions.out,
      });
      return new Tensor(out, [g.m, g.n], 'float32');
    },

    close() {
      closed ??= options.close();
      return closed;
    },
  };
}
