// The `reference` namespace: every op on the plain loops, whatever backend is active — the oracle
// fast kernels and split execution are compared against. The kernels' ops are derived from the
// kernel table, each the kernel run on the reference backend; the ops with no backend kernel
// (elementwise, softmax) are the top-level functions themselves, so the namespace is complete.

import type { Tensor } from '@convoy/tensor';
import {
  relu,
  reluBackward,
  sigmoid,
  sigmoidBackward,
  tanh,
  tanhBackward,
} from '../activations.js';
import type { Backend } from '../backend.js';
import { biasAdd, biasAddBackward } from '../bias.js';
import { biasAddRelu } from '../bias-relu.js';
import { sparseSoftmaxCrossEntropy, sparseSoftmaxCrossEntropyBackward } from '../cross-entropy.js';
import {
  type KernelArgs,
  type KernelName,
  type KernelResult,
  kernelNames,
  kernelTable,
} from '../kernel-table.js';
import { type MatMulOptions, matMulBackwardWith } from '../matmul.js';
import { runKernel } from '../run.js';
import { logSoftmax, logSoftmaxBackward, softmax, softmaxBackward } from '../softmax.js';
import { adamUpdateReference } from './adam.js';
import { referenceBackend } from './backend.js';
import { biasAddReluBackwardReference } from './bias-relu.js';
import {
  conv2dBackpropFilterReference,
  conv2dBackpropInputReference,
  conv2dReference,
} from './conv2d.js';
import { globalAvgPool2dBackwardReference, globalAvgPool2dReference } from './global-pooling.js';
import { matMulReference } from './matmul.js';
import {
  avgPool2dBackwardReference,
  avgPool2dReference,
  maxPool2dBackwardReference,
  maxPool2dReference,
} from './pooling.js';

/** Every kernel of the table as a synchronous op on one backend. */
export type KernelOps = { [K in KernelName]: (...args: KernelArgs<K>) => KernelResult<K> };

/** The table's kernels as synchronous ops computed by `backend`. */
export function kernelOpsOn(backend: Backend): KernelOps {
  const ops: Record<string, unknown> = {};
  for (const name of kernelNames) {
    // biome-ignore lint/suspicious/noExplicitAny: each entry takes its own kernel's arguments.
    ops[name] = (...args: any[]) => runKernel(backend, kernelTable[name] as any, args);
  }
  return ops as KernelOps;
}

export const reference = {
  ...kernelOpsOn(referenceBackend),
  matMulBackward: (
    dy: Tensor<'float32'>,
    a: Tensor<'float32'>,
    b: Tensor<'float32'>,
    options?: MatMulOptions,
  ) => matMulBackwardWith(referenceBackend, dy, a, b, options),
  relu,
  reluBackward,
  sigmoid,
  sigmoidBackward,
  tanh,
  tanhBackward,
  biasAdd,
  biasAddBackward,
  biasAddRelu,
  sparseSoftmaxCrossEntropy,
  sparseSoftmaxCrossEntropyBackward,
  logSoftmax,
  logSoftmaxBackward,
  softmax,
  softmaxBackward,
  referenceBackend,
  /** The raw plain-loop kernels, on arrays and a geometry. */
  adamUpdateReference,
  biasAddReluBackwardReference,
  conv2dReference,
  conv2dBackpropInputReference,
  conv2dBackpropFilterReference,
  matMulReference,
  maxPool2dReference,
  maxPool2dBackwardReference,
  avgPool2dReference,
  avgPool2dBackwardReference,
  globalAvgPool2dReference,
  globalAvgPool2dBackwardReference,
};
