// The `reference` namespace: Tensor-level ops that always run the plain loops, whatever backend
// is active. This is the oracle fast kernels and sharded execution are compared against. The
// ops that have no other backend (pooling, elementwise, softmax) are the same functions as the
// top-level ones, re-exported so the namespace is complete.

import type { Shape, Tensor } from '@convoy/tensor';
import {
  type Conv2dOptions,
  conv2dBackpropFilterWith,
  conv2dBackpropInputWith,
  conv2dWith,
} from '../conv2d.js';
import {
  type MatMulGradients,
  type MatMulOptions,
  matMulBackwardWith,
  matMulWith,
} from '../matmul.js';
import { referenceBackend } from './backend.js';

export {
  relu,
  reluBackward,
  sigmoid,
  sigmoidBackward,
  tanh,
  tanhBackward,
} from '../activations.js';
export { biasAdd, biasAddBackward } from '../bias.js';
export {
  sparseSoftmaxCrossEntropy,
  sparseSoftmaxCrossEntropyBackward,
} from '../cross-entropy.js';
export { avgPool2d, avgPool2dBackward, maxPool2d, maxPool2dBackward } from '../pool2d.js';
export { logSoftmax, logSoftmaxBackward, softmax, softmaxBackward } from '../softmax.js';
export { referenceBackend } from './backend.js';
export {
  conv2dBackpropFilterReference,
  conv2dBackpropInputReference,
  conv2dReference,
} from './conv2d.js';
export { matMulReference } from './matmul.js';
export {
  avgPool2dBackwardReference,
  avgPool2dReference,
  maxPool2dBackwardReference,
  maxPool2dReference,
} from './pool.js';

export function conv2d(
  x: Tensor<'float32'>,
  filter: Tensor<'float32'>,
  options?: Conv2dOptions,
): Tensor<'float32'> {
  return conv2dWith(referenceBackend, x, filter, options);
}

export function conv2dBackpropInput(
  dy: Tensor<'float32'>,
  filter: Tensor<'float32'>,
  xShape: Shape,
  options?: Conv2dOptions,
): Tensor<'float32'> {
  return conv2dBackpropInputWith(referenceBackend, dy, filter, xShape, options);
}

export function conv2dBackpropFilter(
  x: Tensor<'float32'>,
  dy: Tensor<'float32'>,
  filterShape: Shape,
  options?: Conv2dOptions,
): Tensor<'float32'> {
  return conv2dBackpropFilterWith(referenceBackend, x, dy, filterShape, options);
}

export function matMul(
  a: Tensor<'float32'>,
  b: Tensor<'float32'>,
  options?: MatMulOptions,
): Tensor<'float32'> {
  return matMulWith(referenceBackend, a, b, options);
}

export function matMulBackward(
  dy: Tensor<'float32'>,
  a: Tensor<'float32'>,
  b: Tensor<'float32'>,
  options?: MatMulOptions,
): MatMulGradients {
  return matMulBackwardWith(referenceBackend, dy, a, b, options);
}
