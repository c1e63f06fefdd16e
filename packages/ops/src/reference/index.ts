// The `reference` namespace: Tensor-level ops that always run the plain loops, whatever backend
// is active. This is the oracle fast kernels and sharded execution are compared against. The
// ops that have no other backend (elementwise, softmax) are the same functions as the top-level
// ones, re-exported so the namespace is complete.

import type { Shape, Tensor } from '@convoy/tensor';
import {
  type BiasAddReluBackwardOptions,
  type BiasAddReluGradients,
  biasAddReluBackwardWith,
} from '../bias-relu.js';
import {
  type Conv2dBackpropFilterOptions,
  type Conv2dBackwardOptions,
  type Conv2dForwardOptions,
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
import {
  avgPool2dBackwardWith,
  avgPool2dWith,
  maxPool2dBackwardWith,
  maxPool2dWith,
  type Pool2dOptions,
} from '../pool2d.js';
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
export { biasAddRelu } from '../bias-relu.js';
export {
  sparseSoftmaxCrossEntropy,
  sparseSoftmaxCrossEntropyBackward,
} from '../cross-entropy.js';
export { logSoftmax, logSoftmaxBackward, softmax, softmaxBackward } from '../softmax.js';
export { adamUpdateReference as adamUpdate } from './adam.js';
export { referenceBackend } from './backend.js';
export { biasAddReluBackwardReference } from './bias-relu.js';
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
  options?: Conv2dForwardOptions,
): Tensor<'float32'> {
  return conv2dWith(referenceBackend, x, filter, options);
}

export function conv2dBackpropInput(
  dy: Tensor<'float32'>,
  filter: Tensor<'float32'>,
  xShape: Shape,
  options?: Conv2dBackwardOptions,
): Tensor<'float32'> {
  return conv2dBackpropInputWith(referenceBackend, dy, filter, xShape, options);
}

export function conv2dBackpropFilter(
  x: Tensor<'float32'>,
  dy: Tensor<'float32'>,
  filterShape: Shape,
  options?: Conv2dBackpropFilterOptions,
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

export function maxPool2d(x: Tensor<'float32'>, options?: Pool2dOptions): Tensor<'float32'> {
  return maxPool2dWith(referenceBackend, x, options);
}

export function maxPool2dBackward(
  dy: Tensor<'float32'>,
  x: Tensor<'float32'>,
  options?: Pool2dOptions,
): Tensor<'float32'> {
  return maxPool2dBackwardWith(referenceBackend, dy, x, options);
}

export function avgPool2d(x: Tensor<'float32'>, options?: Pool2dOptions): Tensor<'float32'> {
  return avgPool2dWith(referenceBackend, x, options);
}

export function avgPool2dBackward(
  dy: Tensor<'float32'>,
  xShape: Shape,
  options?: Pool2dOptions,
): Tensor<'float32'> {
  return avgPool2dBackwardWith(referenceBackend, dy, xShape, options);
}

export function biasAddReluBackward(
  dy: Tensor<'float32'>,
  y: Tensor<'float32'>,
  options?: BiasAddReluBackwardOptions,
): BiasAddReluGradients {
  return biasAddReluBackwardWith(referenceBackend, dy, y, options);
}
