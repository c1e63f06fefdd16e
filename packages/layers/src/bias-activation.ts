// The bias + activation tail that Conv2D and Dense share, forward and backward. Conv2D hands a
// bias with ReLU (or a bias alone) to the convolution itself, which finishes its output in the
// kernel (convEpilogueFor); Dense, and any other pair, runs it here: a ReLU with a bias fused
// (@convoy/ops biasAddRelu), one pass instead of two, written over the layer's own product. The
// pre-activation gradient goes into a buffer the layer reuses every step. These are the biggest
// tensors of a step (model 1's second convolution makes 1.6M values per batch of 32), so the
// passes and the fresh pages they would touch cost about as much as the arithmetic.

import type { Executor } from '@convoy/ops';
import * as ops from '@convoy/ops';
import type { Tensor } from '@convoy/tensor';
import { type ActivationName, activate, activationBackward } from './activations.js';

export interface ActivationRecord {
  /** The activation's output. */
  output: Tensor<'float32'>;
  /** Its input, when the backward needs it (not after the fused ReLU: the output stands in). */
  preActivation: Tensor<'float32'> | undefined;
}

/**
 * activation(product + bias). `product` must be the layer's own fresh result (a convolution or
 * matrix product it just got from the executor): the fused ReLU overwrites it.
 */
export function addBiasAndActivate(
  product: Tensor<'float32'>,
  bias: Tensor<'float32'> | undefined,
  activation: ActivationName,
): ActivationRecord {
  if (bias !== undefined && activation === 'relu') {
    return { output: ops.biasAddRelu(product, bias, { inPlace: true }), preActivation: undefined };
  }
  const preActivation = bias === undefined ? product : ops.biasAdd(product, bias);
  return { output: activate(activation, preActivation), preActivation };
}

/**
 * The conv2d options that compute activation(product + bias) inside the convolution kernel as it
 * writes its output (@convoy/ops conv2d's fused epilogue), or undefined when this pair cannot be
 * fused there. With the convolution's output finished in the kernel, in the workers, the separate
 * pass over the biggest tensor of the step disappears. Pair it with fusedRecord.
 */
export function convEpilogueFor(
  bias: Tensor<'float32'> | undefined,
  activation: ActivationName,
): Pick<ops.Conv2dForwardOptions, 'bias' | 'activation'> | undefined {
  // ReLU fuses only with a bias: its backward then runs biasAddReluBackward from the output.
  if (activation === 'relu' && bias !== undefined) return { bias, activation: 'relu' };
  if (activation === 'linear' && bias !== undefined) return { bias, activation: 'linear' };
  return undefined;
}

/**
 * The conv2d gradient options that differentiate activation(product + bias) as the gradient
 * kernels read dy (@convoy/ops's gradient prologue: dy through the ReLU, the bias gradient summed
 * on the way), or undefined when the pair is not fused there — the mirror of convEpilogueFor,
 * for an output it produced (fusedRecord). With these, no pass writes dL/d(product) at all.
 */
export function convPrologueFor(
  activation: ActivationName,
  hasBias: boolean,
  record: ActivationRecord,
  gradientIsPreActivation = false,
): Pick<ops.Conv2dBackwardOptions, 'reluOutput'> | undefined {
  if (gradientIsPreActivation || !hasBias) return undefined;
  if (activation === 'relu') return { reluOutput: record.output };
  if (activation === 'linear') return {};
  return undefined;
}

/** What the backward needs of a fused conv2d's output `y` (see addBiasAndActivate). */
export function fusedRecord(y: Tensor<'float32'>, activation: ActivationName): ActivationRecord {
  return { output: y, preActivation: activation === 'relu' ? undefined : y };
}

export interface PreActivationGradients {
  /** dL/d(product): the gradient the layer's matrix product or convolution backward takes. */
  dz: Tensor<'float32'>;
  /** dL/d(bias), when the layer has a bias. */
  dBias: Tensor<'float32'> | undefined;
}

/** The gradients through activation(product + bias), given dL/d(output) and the forward's record. */
export async function activationAndBiasGradients(
  dy: Tensor<'float32'>,
  activation: ActivationName,
  hasBias: boolean,
  record: { output: Tensor<'float32'>; preActivation: Tensor<'float32'> | undefined },
  executor: Executor,
  gradientIsPreActivation = false,
): Promise<PreActivationGradients> {
  if (!gradientIsPreActivation && hasBias && activation === 'relu') {
    const { dx, dBias } = await executor.run('biasAddReluBackward', dy, record.output);
    return { dz: dx, dBias };
  }
  // Outside the fused case addBiasAndActivate always records the pre-activation.
  const dz = gradientIsPreActivation
    ? dy
    : activationBackward(activation, dy, record.preActivation!, record.output);
  return { dz, dBias: hasBias ? ops.biasAddBackward(dz) : undefined };
}
