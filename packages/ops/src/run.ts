// Running a kernel on the calling thread: plan the call, find storage for its outputs (the
// caller's `out`, checked, or new arrays), compute the whole range on one backend, and return
// the op's result. Every synchronous op and the whole `reference` namespace are this one function
// with a backend chosen; the executors add only where storage comes from and how a call splits.

import { allocate } from '@convoy/tensor';
import type { Backend } from './backend.js';
import type { KernelArray, KernelCall, KernelDefinition, OutputPlan } from './kernel.js';
import { outputStorage } from './output.js';

/** Where an executor's outputs come from when the caller gave none. */
export interface OutputAllocator {
  /** Whether given storage must sit on shared memory (workers will write it). */
  shared: boolean;
  /** New storage of `size` elements for `op`'s result. */
  fresh(size: number, op: string, float64: boolean): KernelArray;
}

/** New arrays, on no shared memory: the synchronous ops' storage. */
export const plainAllocator: OutputAllocator = {
  shared: false,
  fresh: (size, _op, float64) => (float64 ? new Float64Array(size) : allocate('float32', size)),
};

/** The arrays a call writes: the caller's `out`s, checked, and new arrays for the rest. */
export function outputsOf(
  call: KernelCall<unknown>,
  allocator: OutputAllocator = plainAllocator,
): Record<string, KernelArray> {
  const inputs = Object.values(call.inputs).filter((input) => input !== undefined);
  const outputs: Record<string, KernelArray> = {};
  for (const [role, plan] of Object.entries(call.outputs)) {
    outputs[role] = storageFor(plan, call.op, inputs, allocator);
  }
  return outputs;
}

function storageFor(
  plan: OutputPlan,
  op: string,
  inputs: Float32Array[],
  allocator: OutputAllocator,
): KernelArray {
  if (plan.given === undefined) return allocator.fresh(plan.size, op, plan.float64 ?? false);
  return outputStorage(plan.given, plan.size, op, {
    shared: allocator.shared,
    inputs: plan.mayOverlapInputs ? [] : inputs,
    ...(plan.name !== undefined && { name: plan.name }),
  });
}

/** Runs one call of `kernel` on `backend`, on this thread, with new storage for its results. */
export function runKernel<Args extends unknown[], Result, G>(
  backend: Backend,
  kernel: KernelDefinition<Args, Result, G>,
  args: Args,
  allocator: OutputAllocator = plainAllocator,
): Result {
  const call = kernel.plan(args, 1);
  const outputs = outputsOf(call, allocator);
  kernel.compute(backend, { ...call.inputs, ...outputs }, call.geometry, call.whole);
  return kernel.result(call, outputs, args);
}
