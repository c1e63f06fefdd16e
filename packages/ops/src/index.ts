// @convoy/ops: CNN kernels on NHWC activations and HWIO filters, each forward paired with its
// backward. The Tensor-level ops are synchronous and single-threaded; conv2d and matMul run on the
// fastest available backend, and `reference` holds the plain-loop oracle versions of every op.

export { relu, reluBackward, sigmoid, sigmoidBackward, tanh, tanhBackward } from './activations.js';
export { type AdamCoefficients, adamUpdate } from './adam.js';
export type {
  Backend,
  ChannelGeometry,
  ConvEpilogue,
  GradientPrologue,
  MatMulGeometry,
  Range,
} from './backend.js';
export { activeBackend, setBackend } from './backend-registry.js';
export { biasAdd, biasAddBackward } from './bias.js';
export {
  type BiasAddReluBackwardOptions,
  type BiasAddReluGradients,
  type BiasAddReluOptions,
  biasAddRelu,
  biasAddReluBackward,
} from './bias-relu.js';
export {
  type Conv2dBackpropFilterOptions,
  type Conv2dBackwardOptions,
  type Conv2dForwardOptions,
  type Conv2dOptions,
  conv2d,
  conv2dBackpropFilter,
  conv2dBackpropFilterGeometry,
  conv2dBackpropInput,
  conv2dBackpropInputGeometry,
  conv2dEpilogue,
  conv2dGeometry,
  conv2dGradientPrologue,
} from './conv2d.js';
export {
  type ConvAlgorithm,
  type ConvGeometry,
  winogradApplies,
} from './conv2d-algorithm.js';
export {
  type Conv2dPerExampleOptions,
  conv2dBackpropFilterPerExample,
} from './conv2d-per-example.js';
export {
  type SparseSoftmaxCrossEntropyOptions,
  type SparseSoftmaxCrossEntropyResult,
  sparseSoftmaxCrossEntropy,
  sparseSoftmaxCrossEntropyBackward,
} from './cross-entropy.js';
export {
  type ExplicitPadding,
  outputShape,
  type Padding,
  type Pair,
  type WindowGeometry,
  type WindowRequest,
  windowGeometry,
} from './geometry.js';
export {
  type MatMulGradients,
  type MatMulOptions,
  matMul,
  matMulBackward,
  matMulGeometry,
} from './matmul.js';
export {
  type KernelDef,
  type KernelName,
  kernelNames,
  kernelTable,
  type OpDef,
  type OpName,
  type OpSignatures,
  opNames,
  opTable,
  type ShardKind,
  type TaskKernelName,
} from './op-table.js';
export {
  createPool,
  type Executor,
  INLINE_FLOP_THRESHOLD,
  inlineExecutor,
  type PoolOptions,
  type PoolStats,
  type WorkerPool,
} from './pool/index.js';
export {
  avgPool2d,
  avgPool2dBackward,
  maxPool2d,
  maxPool2dBackward,
  type Pool2dOptions,
  pool2dGeometry,
} from './pool2d.js';
export { referenceBackend } from './reference/backend.js';
export * as reference from './reference/index.js';
export { logSoftmax, logSoftmaxBackward, softmax, softmaxBackward } from './softmax.js';
export * from './wasm/index.js';
