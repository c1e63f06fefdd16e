// Bias add over the last axis (channels of NHWC, units of a dense layer), with its gradient.

import { allocate, formatShape, Tensor } from '@convoy/tensor';
import { expectFloat32 } from './validate.js';

/** x + bias, where bias has one value per element of x's last axis. */
export function biasAdd(x: Tensor<'float32'>, bias: Tensor<'float32'>): Tensor<'float32'> {
  expectFloat32(x, 'biasAdd', 'input');
  expectFloat32(bias, 'biasAdd', 'bias');
  const channels = x.shape[x.rank - 1];
  if (x.rank < 1 || bias.rank !== 1 || bias.shape[0] !== channels) {
    throw new RangeError(
      `biasAdd: bias must be rank 1 with one value per element of the input's last axis: input ${formatShape(x.shape)}, bias ${formatShape(bias.shape)}`,
    );
  }
  const out = allocate('float32', x.size);
  const xData = x.data;
  const biasData = bias.data;
  for (let base = 0; base < out.length; base += channels!) {
    for (let c = 0; c < channels!; c++) out[base + c] = xData[base + c]! + biasData[c]!;
  }
  return new Tensor(out, x.shape, 'float32');
}

/** Gradient of biasAdd with respect to the bias: dy summed over every axis but the last. */
export function biasAddBackward(dy: Tensor<'float32'>): Tensor<'float32'> {
  expectFloat32(dy, 'biasAddBackward', 'dy');
  if (dy.rank < 1) {
    throw new RangeError(
      `biasAddBackward: dy must have at least one axis, got shape ${formatShape(dy.shape)}`,
    );
  }
  const channels = dy.shape[dy.rank - 1]!;
  const sums = new Float64Array(channels);
  const data = dy.data;
  for (let base = 0; base < data.length; base += channels) {
    for (let c = 0; c < channels; c++) sums[c]! += data[base + c]!;
  }
  return new Tensor(Float32Array.from(sums), [channels], 'float32');
}
