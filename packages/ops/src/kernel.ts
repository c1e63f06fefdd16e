// What one kernel is, to everything that runs it: how a call is checked and sized (`plan`), how a
// range of it is computed on a backend (`compute`), and how the arrays it wrote become the op's
// result (`result`). The synchronous ops, the `reference` namespace, the inline executor and the
// worker executors all run a call through this one shape (run.ts, executor/sharded.ts); each op
// file defines its kernels once, and kernel-table.ts lists them.

import type { Backend, Range } from './backend.js';

/** An array a kernel reads or writes: float32 data, or float64 sums. */
export type KernelArray = Float32Array | Float64Array;

/** A call's arrays by role ('x', 'filter', 'out', …): its inputs and its outputs together. */
export type KernelArrays = Readonly<Record<string, KernelArray | undefined>>;

/** One array a kernel writes. */
export interface OutputPlan {
  /** Elements. */
  size: number;
  /** Float64 sums (a bias gradient before rounding) instead of float32 data. */
  float64?: boolean;
  /** The caller's storage for it (an op's `out`); checked by the runner. Float32 only. */
  given?: Float32Array | undefined;
  /**
   * The kernel reads each element of its inputs before it writes that element here, so the given
   * array may be an input's storage: Adam's weights and moments, updated where they stand, or a
   * gradient written over the incoming one. Otherwise given storage must not overlap an input.
   */
  mayOverlapInputs?: boolean;
  /** What the caller calls the given array, for errors (default 'out'). */
  name?: string;
  /**
   * How a split call writes it. 'part': each shard writes only its range's part of the one array.
   * 'sum': each shard overwrites a whole partial of its own, and the executor adds the partials in
   * shard order, so the result does not depend on which worker finished first.
   */
  shards: 'part' | 'sum';
}

/** Everything an executor needs to know of one call, from the kernel's plan. */
export interface KernelCall<G = unknown> {
  /** The op's name, for errors. */
  op: string;
  /** The arrays the kernel reads (undefined: an optional one that was not given). */
  inputs: Record<string, Float32Array | undefined>;
  /** The arrays it writes. */
  outputs: Record<string, OutputPlan>;
  /** Plain data (it is posted to workers): sizes, options, the split's own fields. */
  geometry: G;
  /** Floating-point operations, for the executor's choice between inline and split. */
  flops: number;
  /** How many units the call may be split over: batch items, rows, columns or elements. */
  items: number;
  /** The range one thread computes the whole call with. */
  whole: Range;
  /**
   * The geometry and range shard `range` of the items computes with; absent, the call's geometry
   * over `range` itself (a split over the batch or over rows).
   */
  shard?(range: Range): { geometry: G; range: Range };
}

/**
 * One kernel. `Args` are the op's arguments as users pass them (tensors and options), `Result`
 * what it returns, `G` the geometry its compute reads.
 */
export interface KernelDefinition<Args extends unknown[] = never, Result = unknown, G = never> {
  readonly name: string;
  /**
   * Validates a call, throwing the op's errors, and sizes it. `workers` is how many threads the
   * call may be split across (1 for a synchronous op), for a plan whose best split depends on it.
   */
  plan(args: Args, workers: number): KernelCall<G>;
  /** Computes `range` of a call on `backend`, into the output arrays (a part, or a partial). */
  compute(backend: Backend, arrays: KernelArrays, geometry: G, range: Range): void;
  /** The op's result from the written outputs (and the call's arguments, for a shape or `out`). */
  result(call: KernelCall<G>, outputs: Record<string, KernelArray>, args: Args): Result;
}

/** A definition with its types forgotten, as the executors hold it. */
// biome-ignore lint/suspicious/noExplicitAny: any kernel, whatever its argument types.
export type AnyKernel = KernelDefinition<any, unknown, any>;

/** The whole range [0, end). */
export function upTo(end: number): Range {
  return { start: 0, end };
}

/** A float32 array of a call, as its definition declared it (compute reads its own roles). */
export function f32(array: KernelArray | undefined): Float32Array {
  return array as Float32Array;
}
