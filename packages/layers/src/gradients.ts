// The gradients of one batch over the whole batch at once, without an update: what the gradient
// checks compare with central differences, and the whole-batch numbers the data-parallel engine's
// per-example sums equal up to float rounding. Also the one test for the fused softmax path.

import type { Tensor } from '@convoy/tensor';
import type { RunContext } from './layer.js';
import { Dense } from './layers/dense.js';
import {
  checkTargets,
  isCrossEntropy,
  type LossName,
  lossGradient,
  lossValue,
  softmaxCrossEntropyGradient,
} from './losses.js';
import type { Model } from './model.js';
import { forward, requireCompiled } from './run-model.js';

/** Whether the gradient can skip the softmax: a Dense softmax output under a cross-entropy. */
export function fusedSoftmax(model: Model, loss: LossName): Dense | undefined {
  const last = model.layers[model.layers.length - 1];
  return last instanceof Dense && last.activation === 'softmax' && isCrossEntropy(loss)
    ? last
    : undefined;
}

export interface GradientResult {
  loss: number;
  output: Tensor<'float32'>;
  /** One gradient per trainable weight, in the order of `model.trainableWeights`. */
  grads: Tensor<'float32'>[];
}

/**
 * Forward and backward over one batch, without updating anything. The output and gradients are
 * the caller's own: copies, since a loop executor (Executor.loop) writes the next batch's results
 * into the same storage.
 */
export async function computeGradients(
  model: Model,
  x: Tensor<'float32'>,
  y: Tensor,
  context: RunContext,
): Promise<GradientResult> {
  const { loss } = requireCompiled(model, 'computeGradients');
  model.ensureBuiltFor(x);
  const output = await forward(model, x, context);
  checkTargets(loss, output.shape, y, 'fit');
  const fused = fusedSoftmax(model, loss);
  // Keras reports the loss on the softmax output; the gradient takes the fused path through the
  // logits when it can, which is the same derivative without dividing by tiny probabilities.
  let dy = fused
    ? softmaxCrossEntropyGradient(loss, fused.lastLogits, y)
    : lossGradient(loss, output, y);
  const perLayer: Tensor<'float32'>[][] = [];
  for (let i = model.layers.length - 1; i >= 0; i--) {
    const layer = model.layers[i]!;
    const result = await layer.backward(dy, context, {
      needInputGradient: i > 0,
      gradientIsPreActivation: fused !== undefined && i === model.layers.length - 1,
    });
    perLayer[i] = result.grads;
    if (result.dx) dy = result.dx;
  }
  const grads = perLayer.flat().map((grad) => grad.clone());
  return { loss: lossValue(loss, output, y), output: output.clone(), grads };
}
