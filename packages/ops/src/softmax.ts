// Softmax and log-softmax over the last axis, with their gradients. Both subtract each row's
// maximum first, so logits of any size (±1e4 and beyond) give finite results.

import { allocate, formatShape, Tensor } from '@convoy/tensor';
import { expectFloat32, expectSameShape } from './validate.js';

function rowLength(x: Tensor<'float32'>, op: string): number {
  if (x.rank < 1 || x.shape[x.rank - 1] === 0) {
    throw new RangeError(
      `${op}: input needs a non-empty last axis, got shape ${formatShape(x.shape)}`,
    );
  }
  return x.shape[x.rank - 1]!;
}

/** Writes log(sum(exp(row))) stably: max + log(sum(exp(row - max))). */
function logSumExp(data: Float32Array, base: number, length: number): number {
  let max = Number.NEGATIVE_INFINITY;
  for (let j = 0; j < length; j++) if (data[base + j]! > max) max = data[base + j]!;
  if (max === Number.NEGATIVE_INFINITY) return max; // every entry -Infinity: no mass anywhere
  let sum = 0;
  for (let j = 0; j < length; j++) sum += Math.exp(data[base + j]! - max);
  return max + Math.log(sum);
}

/** exp(x) / sum(exp(x)) along the last axis. */
export function softmax(logits: Tensor<'float32'>): Tensor<'float32'> {
  expectFloat32(logits, 'softmax', 'logits');
  const length = rowLength(logits, 'softmax');
  const data = logits.data;
  const out = allocate('float32', logits.size);
  for (let base = 0; base < data.length; base += length) {
    const normalizer = logSumExp(data, base, length);
    for (let j = 0; j < length; j++) out[base + j] = Math.exp(data[base + j]! - normalizer);
  }
  return new Tensor(out, logits.shape, 'float32');
}

/** x - log(sum(exp(x))) along the last axis. */
export function logSoftmax(logits: Tensor<'float32'>): Tensor<'float32'> {
  expectFloat32(logits, 'logSoftmax', 'logits');
  const length = rowLength(logits, 'logSoftmax');
  const data = logits.data;
  const out = allocate('float32', logits.size);
  for (let base = 0; base < data.length; base += length) {
    const normalizer = logSumExp(data, base, length);
    for (let j = 0; j < length; j++) out[base + j] = data[base + j]! - normalizer;
  }
  return new Tensor(out, logits.shape, 'float32');
}

/** Gradient of softmax given its output y: y * (dy - sum(dy * y)) per row. */
export function softmaxBackward(dy: Tensor<'float32'>, y: Tensor<'float32'>): Tensor<'float32'> {
  expectFloat32(dy, 'softmaxBackward', 'dy');
  expectFloat32(y, 'softmaxBackward', 'y');
  expectSameShape(dy.shape, y.shape, 'softmaxBackward', 'dy', 'y');
  const length = rowLength(y, 'softmaxBackward');
  const dyData = dy.data;
  const yData = y.data;
  const dx = allocate('float32', y.size);
  for (let base = 0; base < yData.length; base += length) {
    let dot = 0;
    for (let j = 0; j < length; j++) dot += dyData[base + j]! * yData[base + j]!;
    for (let j = 0; j < length; j++) dx[base + j] = yData[base + j]! * (dyData[base + j]! - dot);
  }
  return new Tensor(dx, y.shape, 'float32');
}

/** Gradient of logSoftmax given its output y: dy - exp(y) * sum(dy) per row. */
export function logSoftmaxBackward(dy: Tensor<'float32'>, y: Tensor<'float32'>): Tensor<'float32'> {
  expectFloat32(dy, 'logSoftmaxBackward', 'dy');
  expectFloat32(y, 'logSoftmaxBackward', 'y');
  expectSameShape(dy.shape, y.shape, 'logSoftmaxBackward', 'dy', 'y');
  const length = rowLength(y, 'logSoftmaxBackward');
  const dyData = dy.data;
  const yData = y.data;
  const dx = allocate('float32', y.size);
  for (let base = 0; base < yData.length; base += length) {
    let sum = 0;
    for (let j = 0; j < length; j++) sum += dyData[base + j]!;
    for (let j = 0; j < length; j++)
      dx[base + j] = dyData[base + j]! - Math.exp(yData[base + j]!) * sum;
  }
  return new Tensor(dx, y.shape, 'float32');
}
