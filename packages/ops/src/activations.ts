// Elementwise activations and their gradients. Backwards of sigmoid and tanh take the forward's
// output y (cheaper than recomputing from x, and what a layer keeps anyway); relu's takes x.

import { allocate, Tensor } from '@convoy/tensor';
import { expectFloat32, expectSameShape } from './validate.js';

/** max(x, 0); NaN stays NaN, as in TensorFlow. */
export function relu(x: Tensor<'float32'>): Tensor<'float32'> {
  expectFloat32(x, 'relu', 'input');
  const out = allocate('float32', x.size);
  const data = x.data;
  for (let i = 0; i < out.length; i++) out[i] = Math.max(data[i]!, 0);
  return new Tensor(out, x.shape, 'float32');
}

/** dy where x > 0, else 0 (the subgradient at 0 is taken as 0, as TensorFlow does). */
export function reluBackward(dy: Tensor<'float32'>, x: Tensor<'float32'>): Tensor<'float32'> {
  expectFloat32(dy, 'reluBackward', 'dy');
  expectFloat32(x, 'reluBackward', 'input');
  expectSameShape(dy.shape, x.shape, 'reluBackward', 'dy', 'the input');
  const dx = allocate('float32', x.size);
  const dyData = dy.data;
  const xData = x.data;
  for (let i = 0; i < dx.length; i++) dx[i] = xData[i]! > 0 ? dyData[i]! : 0;
  return new Tensor(dx, x.shape, 'float32');
}

/** 1 / (1 + e^-x), computed so that neither branch overflows for large |x|. */
export function sigmoid(x: Tensor<'float32'>): Tensor<'float32'> {
  expectFloat32(x, 'sigmoid', 'input');
  const out = allocate('float32', x.size);
  const data = x.data;
  for (let i = 0; i < out.length; i++) {
    const value = data[i]!;
    if (value >= 0) {
      out[i] = 1 / (1 + Math.exp(-value));
    } else {
      const e = Math.exp(value);
      out[i] = e / (1 + e);
    }
  }
  return new Tensor(out, x.shape, 'float32');
}

/** dy * y * (1 - y), where y = sigmoid(x). */
export function sigmoidBackward(dy: Tensor<'float32'>, y: Tensor<'float32'>): Tensor<'float32'> {
  expectFloat32(dy, 'sigmoidBackward', 'dy');
  expectFloat32(y, 'sigmoidBackward', 'y');
  expectSameShape(dy.shape, y.shape, 'sigmoidBackward', 'dy', 'y');
  const dx = allocate('float32', y.size);
  const dyData = dy.data;
  const yData = y.data;
  for (let i = 0; i < dx.length; i++) dx[i] = dyData[i]! * yData[i]! * (1 - yData[i]!);
  return new Tensor(dx, y.shape, 'float32');
}

/** Hyperbolic tangent. */
export function tanh(x: Tensor<'float32'>): Tensor<'float32'> {
  expectFloat32(x, 'tanh', 'input');
  const out = allocate('float32', x.size);
  const data = x.data;
  for (let i = 0; i < out.length; i++) out[i] = Math.tanh(data[i]!);
  return new Tensor(out, x.shape, 'float32');
}

/** dy * (1 - y²), where y = tanh(x). */
export function tanhBackward(dy: Tensor<'float32'>, y: Tensor<'float32'>): Tensor<'float32'> {
  expectFloat32(dy, 'tanhBackward', 'dy');
  expectFloat32(y, 'tanhBackward', 'y');
  expectSameShape(dy.shape, y.shape, 'tanhBackward', 'dy', 'y');
  const dx = allocate('float32', y.size);
  const dyData = dy.data;
  const yData = y.data;
  for (let i = 0; i < dx.length; i++) dx[i] = dyData[i]! * (1 - yData[i]! * yData[i]!);
  return new Tensor(dx, y.shape, 'float32');
}
