// The one table of ops. Every differentiable op appears once with its forward and its backward(s);
// the table's type is exhaustive over OpName, so adding an op without a backward (or forgetting
// an entry) does not compile. The kernel table lists the raw Backend kernels and how each may be
// sharded: the worker pool and the WebAssembly backend read it rather than keeping their own lists.

import { relu, reluBackward, sigmoid, sigmoidBackward, tanh, tanhBackward } from './activations.js';
import type { Backend, Range } from './backend.js';
import { biasAdd, biasAddBackward } from './bias.js';
import { biasAddRelu, biasAddReluBackward } from './bias-relu.js';
import { conv2d, conv2dBackpropFilter, conv2dBackpropInput } from './conv2d.js';
import { sparseSoftmaxCrossEntropy, sparseSoftmaxCrossEntropyBackward } from './cross-entropy.js';
import { matMul, matMulBackward } from './matmul.js';
import { avgPool2d, avgPool2dBackward, maxPool2d, maxPool2dBackward } from './pool2d.js';
import { referenceBackend } from './reference/backend.js';
import { logSoftmax, logSoftmaxBackward, softmax, softmaxBackward } from './softmax.js';

/** Each op's forward and its named backward functions (one per differentiable input). */
export interface OpSignatures {
  conv2d: {
    forward: typeof conv2d;
    backward: { input: typeof conv2dBackpropInput; filter: typeof conv2dBackpropFilter };
  };
  maxPool2d: { forward: typeof maxPool2d; backward: { input: typeof maxPool2dBackward } };
  avgPool2d: { forward: typeof avgPool2d; backward: { input: typeof avgPool2dBackward } };
  matMul: { forward: typeof matMul; backward: { inputs: typeof matMulBackward } };
  biasAdd: { forward: typeof biasAdd; backward: { bias: typeof biasAddBackward } };
  relu: { forward: typeof relu; backward: { input: typeof reluBackward } };
  biasAddRelu: {
    forward: typeof biasAddRelu;
    backward: { inputAndBias: typeof biasAddReluBackward };
  };
  sigmoid: {
    forward: typeof sigmoid;
    backward: { input: typeof sigmoidBackward };
  };
  tanh: { forward: typeof tanh; backward: { input: typeof tanhBackward } };
  softmax: { forward: typeof softmax; backward: { input: typeof softmaxBackward } };
  logSoftmax: { forward: typeof logSoftmax; backward: { input: typeof logSoftmaxBackward } };
  sparseSoftmaxCrossEntropy: {
    forward: typeof sparseSoftmaxCrossEntropy;
    backward: { logits: typeof sparseSoftmaxCrossEntropyBackward };
  };
}

export type OpName = keyof OpSignatures;

/** The raw kernels a backend provides (everything on Backend but its name). */
export type KernelName = Exclude<keyof Backend, 'name'>;

export interface OpDef<K extends OpName> {
  readonly name: K;
  readonly forward: OpSignatures[K]['forward'];
  readonly backward: OpSignatures[K]['backward'];
  /** The Backend kernels the forward and backwards run on (empty: plain loops only). */
  readonly kernels: readonly KernelName[];
}

export const opTable: { readonly [K in OpName]: OpDef<K> } = {
  conv2d: {
    name: 'conv2d',
    forward: conv2d,
    backward: { input: conv2dBackpropInput, filter: conv2dBackpropFilter },
    kernels: ['conv2d', 'conv2dBackpropInput', 'conv2dBackpropFilter'],
  },
  maxPool2d: {
    name: 'maxPool2d',
    forward: maxPool2d,
    backward: { input: maxPool2dBackward },
    kernels: ['maxPool2d', 'maxPool2dBackward'],
  },
  avgPool2d: {
    name: 'avgPool2d',
    forward: avgPool2d,
    backward: { input: avgPool2dBackward },
    kernels: ['avgPool2d', 'avgPool2dBackward'],
  },
  matMul: {
    name: 'matMul',
    forward: matMul,
    backward: { inputs: matMulBackward },
    kernels: ['matMul'],
  },
  biasAdd: { name: 'biasAdd', forward: biasAdd, backward: { bias: biasAddBackward }, kernels: [] },
  relu: {
    name: 'relu',
    forward: relu,
    backward: { input: reluBackward },
    kernels: [],
  },
  biasAddRelu: {
    name: 'biasAddRelu',
    forward: biasAddRelu,
    backward: { inputAndBias: biasAddReluBackward },
    // The forward is a plain loop (the lead fuses it into the convolution kernels).
    kernels: ['biasAddReluBackward'],
  },
  sigmoid: {
    name: 'sigmoid',
    forward: sigmoid,
    backward: { input: sigmoidBackward },
    kernels: [],
  },
  tanh: {
    name: 'tanh',
    forward: tanh,
    backward: { input: tanhBackward },
    kernels: [],
  },
  softmax: { name: 'softmax', forward: softmax, backward: { input: softmaxBackward }, kernels: [] },
  logSoftmax: {
    name: 'logSoftmax',
    forward: logSoftmax,
    backward: { input: logSoftmaxBackward },
    kernels: [],
  },
  sparseSoftmaxCrossEntropy: {
    name: 'sparseSoftmaxCrossEntropy',
    forward: sparseSoftmaxCrossEntropy,
    backward: { logits: sparseSoftmaxCrossEntropyBackward },
    kernels: [],
  },
};

/**
 * How a kernel call may be split across workers:
 * - 'batch': each shard writes only its batch items of the output (the range is over the batch);
 * - 'rows': each shard writes only its rows of the output (the range is over output rows);
 * - 'batch-sum': each shard writes a whole output summed over its batch items; the caller gives
 *   each shard its own output and adds them;
 * - 'rows-and-sum': two outputs, the first split as 'rows', the second a per-shard sum over the
 *   shard's rows as in 'batch-sum' (biasAddReluBackward's dx and bias gradient).
 */
export type ShardKind = 'batch' | 'rows' | 'batch-sum' | 'rows-and-sum';

export interface KernelDef<K extends KernelName> {
  readonly name: K;
  readonly shard: ShardKind;
  /** The plain-loop version, the oracle for this kernel. */
  readonly reference: Backend[K];
}

export const kernelTable: { readonly [K in KernelName]: KernelDef<K> } = {
  conv2d: { name: 'conv2d', shard: 'batch', reference: referenceBackend.conv2d },
  conv2dBackpropInput: {
    name: 'conv2dBackpropInput',
    shard: 'batch',
    reference: referenceBackend.conv2dBackpropInput,
  },
  conv2dBackpropFilter: {
    name: 'conv2dBackpropFilter',
    shard: 'batch-sum',
    reference: referenceBackend.conv2dBackpropFilter,
  },
  matMul: { name: 'matMul', shard: 'rows', reference: referenceBackend.matMul },
  maxPool2d: { name: 'maxPool2d', shard: 'batch', reference: referenceBackend.maxPool2d },
  maxPool2dBackward: {
    name: 'maxPool2dBackward',
    shard: 'batch',
    reference: referenceBackend.maxPool2dBackward,
  },
  avgPool2d: { name: 'avgPool2d', shard: 'batch', reference: referenceBackend.avgPool2d },
  avgPool2dBackward: {
    name: 'avgPool2dBackward',
    shard: 'batch',
    reference: referenceBackend.avgPool2dBackward,
  },
  biasAddReluBackward: {
    name: 'biasAddReluBackward',
    shard: 'rows-and-sum',
    reference: referenceBackend.biasAddReluBackward,
  },
};

/**
 * The kernels of the common form — two inputs, one output, a geometry, a range — which one pool
 * task carries (src/pool/tasks.ts). Derived from the Backend's signatures, so a kernel with
 * another form drops out of this type by itself and the pool cannot be asked to send it.
 */
export type TaskKernelName = {
  [K in KernelName]: Backend[K] extends (
    a: Float32Array,
    b: Float32Array,
    out: Float32Array,
    g: never,
    range: Range,
  ) => void
    ? K
    : never;
}[KernelName];

/** Whether a pool task may name this kernel (the run-time side of TaskKernelName). */
export function isTaskKernel(name: string): name is TaskKernelName {
  return (
    Object.hasOwn(kernelTable, name) && kernelTable[name as KernelName].shard !== 'rows-and-sum'
  );
}

export const opNames = Object.keys(opTable) as OpName[];
export const kernelNames = Object.keys(kernelTable) as KernelName[];
