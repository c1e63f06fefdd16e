// Losses and the accuracy metric, by their Keras names. Each loss gives its value on the model's
// output (probabilities for a softmax classifier, as Keras computes it, with Keras's clipping at
// 1e-7) and its gradient with respect to that output. For a softmax output trained with a
// cross-entropy, the model instead takes the gradient with respect to the logits from the fused
// `softmaxCrossEntropyGradient` below: (softmax - onehot) / n is exact and stable where chaining
// 1/p through the softmax Jacobian loses precision on confident predictions.

import * as ops from '@convoy/ops';
import { allocate, formatShape, Tensor } from '@convoy/tensor';

export type LossName =
  | 'sparse_categorical_crossentropy'
  | 'categorical_crossentropy'
  | 'mean_squared_error';

export const LOSSES: readonly LossName[] = [
  'sparse_categorical_crossentropy',
  'categorical_crossentropy',
  'mean_squared_error',
];

/** Keras's backend epsilon, which bounds probabilities away from 0 and 1 before the log. */
const EPSILON = 1e-7;

export function checkLoss(value: unknown): LossName {
  const name = value === 'mse' ? 'mean_squared_error' : value;
  if (!(LOSSES as readonly unknown[]).includes(name)) {
    throw new RangeError(`compile: loss must be one of ${LOSSES.join(', ')}, got ${String(value)}`);
  }
  return name as LossName;
}

export function isCrossEntropy(loss: LossName): boolean {
  return loss !== 'mean_squared_error';
}

/** Checks that targets fit the model's output for a loss; throws naming both shapes. */
export function checkTargets(
  loss: LossName,
  output: readonly number[],
  targets: Tensor,
  context: string,
): void {
  const rows = output[0];
  const classes = output[output.length - 1]!;
  if (loss === 'sparse_categorical_crossentropy') {
    if (targets.rank !== 1 || targets.shape[0] !== rows || output.length !== 2) {
      throw new RangeError(
        `${context}: sparse_categorical_crossentropy needs output [batch, classes] and integer labels [batch], got output ${formatShape(output)} and labels ${formatShape(targets.shape)}`,
      );
    }
    for (let i = 0; i < targets.size; i++) {
      const label = targets.data[i]!;
      if (!Number.isInteger(label) || label < 0 || label >= classes) {
        throw new RangeError(
          `${context}: labels must be integers in [0, ${classes}) for ${classes} classes, got ${label} at index ${i}`,
        );
      }
    }
    return;
  }
  const same =
    targets.shape.length === output.length && targets.shape.every((d, i) => d === output[i]);
  if (!same) {
    throw new RangeError(
      `${context}: ${loss} needs targets shaped like the output ${formatShape(output)}, got ${formatShape(targets.shape)}`,
    );
  }
}

/** The mean loss over the rows of `output`. */
export function lossValue(loss: LossName, output: Tensor<'float32'>, targets: Tensor): number {
  const rows = output.shape[0] ?? 0;
  if (rows === 0) return 0;
  const perRow = new Float64Array(rows);
  exampleLosses(loss, output, targets, perRow, 0);
  let sum = 0;
  for (let i = 0; i < rows; i++) sum += perRow[i]!;
  return sum / rows;
}

/**
 * Each row's loss, written to out[offset + row]: the terms whose mean over the batch is the loss
 * (for mean squared error, each row's mean over its values). A data-parallel step adds them up
 * across replicas in example order, so the loss does not depend on how the batch was split.
 */
export function exampleLosses(
  loss: LossName,
  output: Tensor<'float32'>,
  targets: Tensor,
  out: Float64Array,
  offset: number,
): void {
  const rows = output.shape[0] ?? 0;
  const classes = output.shape[output.shape.length - 1]!;
  const p = output.data;
  for (let i = 0; i < rows; i++) {
    let value = 0;
    if (loss === 'sparse_categorical_crossentropy') {
      value = -Math.log(clip(p[i * classes + targets.data[i]!]!));
    } else if (loss === 'categorical_crossentropy') {
      // Keras first rescales each row of predictions to sum to one.
      let total = 0;
      for (let j = 0; j < classes; j++) total += p[i * classes + j]!;
      for (let j = 0; j < classes; j++) {
        const t = targets.data[i * classes + j]!;
        if (t !== 0) value -= t * Math.log(clip(p[i * classes + j]! / total));
      }
    } else {
      const rowSize = p.length / rows;
      for (let j = i * rowSize; j < (i + 1) * rowSize; j++) {
        const d = p[j]! - targets.data[j]!;
        value += d * d;
      }
      value /= rowSize;
    }
    out[offset + i] = value;
  }
}

function clip(probability: number): number {
  return Math.min(Math.max(probability, EPSILON), 1 - EPSILON);
}

/**
 * d(mean loss)/d(output), for outputs that are not fused with their softmax. `batchSize` is the n
 * of the mean (default: the rows of output; a replica holding some rows passes the batch's).
 */
export function lossGradient(
  loss: LossName,
  output: Tensor<'float32'>,
  targets: Tensor,
  batchSize = output.shape[0] ?? 1,
): Tensor<'float32'> {
  const rows = batchSize;
  const classes = output.shape[output.shape.length - 1]!;
  const p = output.data;
  const grad = allocate('float32', output.size);
  if (loss === 'mean_squared_error') {
    const count = (p.length / (output.shape[0] || 1)) * rows;
    for (let i = 0; i < p.length; i++) grad[i] = (2 * (p[i]! - targets.data[i]!)) / count;
  } else if (loss === 'sparse_categorical_crossentropy') {
    for (let i = 0; i < (output.shape[0] ?? 0); i++) {
      const at = i * classes + targets.data[i]!;
      const value = p[at]!;
      // Where Keras's clip is active the loss is flat, so its gradient is zero.
      grad[at] = value > EPSILON && value < 1 - EPSILON ? -1 / (value * rows) : 0;
    }
  } else {
    for (let i = 0; i < (output.shape[0] ?? 0); i++) {
      let total = 0;
      let targetTotal = 0;
      for (let j = 0; j < classes; j++) {
        total += p[i * classes + j]!;
        targetTotal += targets.data[i * classes + j]!;
      }
      // d/dp_j of -Σ_k t_k log(p_k / Σp) = -t_j / p_j + Σt / Σp.
      for (let j = 0; j < classes; j++) {
        const at = i * classes + j;
        const value = p[at]! / total;
        const inside = value > EPSILON && value < 1 - EPSILON;
        grad[at] = ((inside ? -targets.data[at]! / p[at]! : 0) + targetTotal / total) / rows;
      }
    }
  }
  return new Tensor(grad, output.shape, 'float32');
}

/**
 * d(mean cross-entropy)/d(logits) for a softmax output: (softmax - target) / n, fused and stable;
 * n is `batchSize` (default: the rows of logits).
 */
export function softmaxCrossEntropyGradient(
  loss: LossName,
  logits: Tensor<'float32'>,
  targets: Tensor,
  batchSize = logits.shape[0] ?? 1,
): Tensor<'float32'> {
  if (loss === 'sparse_categorical_crossentropy') {
    return ops.sparseSoftmaxCrossEntropy(logits, targets, { batchSize }).dLogits;
  }
  const rows = batchSize;
  const classes = logits.shape[logits.shape.length - 1]!;
  const probabilities = ops.softmax(logits).data;
  const grad = allocate('float32', logits.size);
  for (let i = 0; i < (logits.shape[0] ?? 0); i++) {
    let targetTotal = 0;
    for (let j = 0; j < classes; j++) targetTotal += targets.data[i * classes + j]!;
    for (let j = 0; j < classes; j++) {
      const at = i * classes + j;
      grad[at] = (probabilities[at]! * targetTotal - targets.data[at]!) / rows;
    }
  }
  return new Tensor(grad, logits.shape, 'float32');
}

/** How many rows the output classifies right (arg max equal to the label or the one-hot target). */
export function correctCount(loss: LossName, output: Tensor<'float32'>, targets: Tensor): number {
  const rows = output.shape[0] ?? 0;
  const flags = new Uint8Array(rows);
  exampleCorrect(loss, output, targets, flags, 0);
  return flags.reduce((sum, flag) => sum + flag, 0);
}

/** 1 at out[offset + row] for each row the output classifies right, else 0. */
export function exampleCorrect(
  loss: LossName,
  output: Tensor<'float32'>,
  targets: Tensor,
  out: Uint8Array,
  offset: number,
): void {
  const rows = output.shape[0] ?? 0;
  const classes = output.shape[output.shape.length - 1]!;
  const argMax = (data: ArrayLike<number>, base: number): number => {
    let best = 0;
    for (let j = 1; j < classes; j++) if (data[base + j]! > data[base + best]!) best = j;
    return best;
  };
  for (let i = 0; i < rows; i++) {
    const predicted = argMax(output.data, i * classes);
    const truth =
      loss === 'sparse_categorical_crossentropy'
        ? targets.data[i]!
        : argMax(targets.data, i * classes);
    out[offset + i] = predicted === truth ? 1 : 0;
  }
}
