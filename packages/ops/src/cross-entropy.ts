// Sparse softmax cross-entropy: the loss of a classifier given raw logits and integer labels,
// fused with its gradient (softmax - onehot) / n, which is both cheaper and more stable than
// chaining softmax, log and a one-hot product. Computed through log-sum-exp, so logits of ±1e4
// give a finite loss and gradient.

import { allocate, formatShape, Tensor } from '@convoy/tensor';
import { expectFloat32 } from './validate.js';

export interface SparseSoftmaxCrossEntropyResult {
  /** Mean over the batch of -log softmax(logits)[label]. */
  loss: number;
  /** d(loss)/d(logits) = (softmax(logits) - onehot(labels)) / batch. */
  dLogits: Tensor<'float32'>;
}

export interface SparseSoftmaxCrossEntropyOptions {
  /**
   * The n of the mean: the loss is the rows' sum / n and the gradient (softmax - onehot) / n.
   * Default: the rows of logits. A data-parallel replica holding some rows of a batch passes the
   * whole batch's size, so its rows get exactly the gradient they have in the whole batch.
   */
  batchSize?: number;
}

function checkArguments(logits: Tensor<'float32'>, labels: Tensor, op: string): [number, number] {
  expectFloat32(logits, op, 'logits');
  if (logits.rank !== 2 || logits.shape[1] === 0) {
    throw new RangeError(
      `${op}: logits must be rank 2 [batch, classes] with at least one class, got shape ${formatShape(logits.shape)}`,
    );
  }
  const [batch, classes] = logits.shape as [number, number];
  if (labels.rank !== 1 || labels.shape[0] !== batch) {
    throw new RangeError(
      `${op}: labels must be rank 1 [batch] with one label per row of logits ${formatShape(logits.shape)}, got shape ${formatShape(labels.shape)}`,
    );
  }
  const data = labels.data;
  for (let i = 0; i < batch; i++) {
    const label = data[i]!;
    if (!Number.isInteger(label) || label < 0 || label >= classes) {
      throw new RangeError(
        `${op}: labels must be integers in [0, ${classes}) for logits ${formatShape(logits.shape)}, got ${label} at index ${i}`,
      );
    }
  }
  return [batch, classes];
}

/**
 * Mean cross-entropy of softmax(logits) against integer labels, and its gradient with respect to
 * the logits. labels is int32 or uint8 (float32 holding whole numbers is accepted too).
 */
export function sparseSoftmaxCrossEntropy(
  logits: Tensor<'float32'>,
  labels: Tensor,
  options: SparseSoftmaxCrossEntropyOptions = {},
): SparseSoftmaxCrossEntropyResult {
  const [rows, classes] = checkArguments(logits, labels, 'sparseSoftmaxCrossEntropy');
  const batch = options.batchSize ?? rows;
  if (!Number.isSafeInteger(batch) || batch < rows) {
    throw new RangeError(
      `sparseSoftmaxCrossEntropy: batchSize must be an integer of at least the ${rows} rows of logits, got ${String(options.batchSize)}`,
    );
  }
  const data = logits.data;
  const labelData = labels.data;
  const dLogits = allocate('float32', logits.size);
  let lossSum = 0;
  for (let i = 0; i < rows; i++) {
    const base = i * classes;
    let max = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < classes; j++) if (data[base + j]! > max) max = data[base + j]!;
    let sum = 0;
    for (let j = 0; j < classes; j++) sum += Math.exp(data[base + j]! - max);
    const logNormalizer = max + Math.log(sum);
    const label = labelData[i]!;
    lossSum += logNormalizer - data[base + label]!;
    for (let j = 0; j < classes; j++) {
      const probability = Math.exp(data[base + j]! - logNormalizer);
      dLogits[base + j] = (probability - (j === label ? 1 : 0)) / batch;
    }
  }
  return {
    loss: batch === 0 ? 0 : lossSum / batch,
    dLogits: new Tensor(dLogits, logits.shape, 'float32'),
  };
}

/**
 * The gradient alone, scaled by dLoss (the upstream gradient of the mean loss, 1 when the loss is
 * the objective itself): the op table's backward for sparseSoftmaxCrossEntropy.
 */
export function sparseSoftmaxCrossEntropyBackward(
  logits: Tensor<'float32'>,
  labels: Tensor,
  dLoss = 1,
): Tensor<'float32'> {
  const { dLogits } = sparseSoftmaxCrossEntropy(logits, labels);
  if (dLoss !== 1) {
    const data = dLogits.data;
    for (let i = 0; i < data.length; i++) data[i] = data[i]! * dLoss;
  }
  return dLogits;
}
