// @convoy/ops: CNN kernels on NHWC activations and HWIO filters, each forward paired with its
// backward. Each kernel is defined once (kernel.ts) and listed in the kernel table; from that
// one definition come its synchronous op (on the active backend: WebAssembly SIMD where the
// runtime has it, else the plain loops), its `reference` op (always the plain loops, the oracle)
// and Executor.run, which runs it on the calling thread or split across worker threads. The
// elementwise ops and softmax are plain loops with no backend kernel.

export { relu, reluBackward, sigmoid, sigmoidBackward, tanh, tanhBackward } from './activations.js';
export { type AdamCoefficients, adamUpdate } from './adam.js';
export type {
  Backend,
  ChannelGeometry,
  ConvEpilogue,
  GlobalPoolingGeometry,
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
  checkGradientPrologue,
  conv2d,
  conv2dBackpropFilter,
  conv2dBackpropFilterGeometry,
  conv2dBackpropInput,
  conv2dBackpropInputGeometry,
  conv2dEpilogue,
  conv2dGeometry,
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
  createExecutor,
  createWorkerExecutor,
  type Executor,
  type ExecutorLoop,
  type ExecutorOptions,
  type ExecutorStats,
  INLINE_FLOP_THRESHOLD,
  inlineExecutor,
  type WorkerExecutor,
} from './executor/index.js';
export {
  type ExplicitPadding,
  outputShape,
  type Padding,
  type Pair,
  type WindowGeometry,
  type WindowRequest,
  windowGeometry,
} from './geometry.js';
export { globalAvgPool2d, globalAvgPool2dBackward } from './global-pooling.js';
export type {
  KernelArray,
  KernelArrays,
  KernelCall,
  KernelDefinition,
  OutputPlan,
} from './kernel.js';
export {
  type KernelArgs,
  type KernelName,
  type KernelResult,
  type KernelTable,
  kernelNames,
  kernelTable,
} from './kernel-table.js';
export {
  type MatMulGradients,
  type MatMulOptions,
  matMul,
  matMulBackward,
  matMulGeometry,
} from './matmul.js';
export {
  avgPool2d,
  avgPool2dBackward,
  maxPool2d,
  maxPool2dBackward,
  type PoolingOptions,
  poolingGeometry,
} from './pooling.js';
export { referenceBackend } from './reference/backend.js';
export { type KernelOps, kernelOpsOn, reference } from './reference/index.js';
export { logSoftmax, logSoftmaxBackward, softmax, softmaxBackward } from './softmax.js';
export * from './wasm/index.js';
