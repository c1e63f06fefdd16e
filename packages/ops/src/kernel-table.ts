// The kernel table: the one list of kernels, written by hand. Everything else is derived from it:
// Executor.run's names and argument types, the workers' task runner (which finds a task's kernel
// here by name), and the `reference` namespace. Each entry is a definition from its op's own file
// (kernel.ts says what one holds), so adding a kernel is its file, its backend methods and one line
// here.

import { adamUpdateKernel } from './adam.js';
import { biasAddReluBackwardKernel } from './bias-relu.js';
import { conv2dBackpropFilterKernel, conv2dBackpropInputKernel, conv2dKernel } from './conv2d.js';
import { conv2dBackpropFilterPerExampleKernel } from './conv2d-per-example.js';
import { globalAvgPool2dBackwardKernel, globalAvgPool2dKernel } from './global-pooling.js';
import type { AnyKernel } from './kernel.js';
import { matMulKernel } from './matmul.js';
import {
  avgPool2dBackwardKernel,
  avgPool2dKernel,
  maxPool2dBackwardKernel,
  maxPool2dKernel,
} from './pooling.js';

export const kernelTable = {
  conv2d: conv2dKernel,
  conv2dBackpropInput: conv2dBackpropInputKernel,
  conv2dBackpropFilter: conv2dBackpropFilterKernel,
  conv2dBackpropFilterPerExample: conv2dBackpropFilterPerExampleKernel,
  matMul: matMulKernel,
  maxPool2d: maxPool2dKernel,
  maxPool2dBackward: maxPool2dBackwardKernel,
  avgPool2d: avgPool2dKernel,
  avgPool2dBackward: avgPool2dBackwardKernel,
  globalAvgPool2d: globalAvgPool2dKernel,
  globalAvgPool2dBackward: globalAvgPool2dBackwardKernel,
  biasAddReluBackward: biasAddReluBackwardKernel,
  adamUpdate: adamUpdateKernel,
} as const;

export type KernelTable = typeof kernelTable;

/** A kernel's name: what Executor.run and a worker's task call it by. */
export type KernelName = keyof KernelTable;

/** The arguments of kernel K, as its synchronous op takes them. */
export type KernelArgs<K extends KernelName> = Parameters<KernelTable[K]['plan']>[0];

/** What kernel K returns. */
export type KernelResult<K extends KernelName> = ReturnType<KernelTable[K]['result']>;

export const kernelNames = Object.keys(kernelTable) as KernelName[];

/** Kernel `name` from the table; throws for a name it does not hold (a worker's bad task). */
export function kernelNamed(name: string): AnyKernel {
  if (!Object.hasOwn(kernelTable, name)) {
    throw new TypeError(`no kernel named ${JSON.stringify(name)}`);
  }
  return kernelTable[name as KernelName] as AnyKernel;
}
