// The activations a layer can end with, by their Keras names, each forward with its backward
// (all computed by @convoy/ops).

import * as ops from '@convoy/ops';
import type { Tensor } from '@convoy/tensor';

export type ActivationName = 'relu' | 'softmax' | 'sigmoid' | 'tanh' | 'linear';

export const ACTIVATIONS: readonly ActivationName[] = [
  'relu',
  'softmax',
  'sigmoid',
  'tanh',
  'linear',
];

export function checkActivation(value: unknown, layer: string): ActivationName {
  const name = value ?? 'linear';
  if (!(ACTIVATIONS as readonly unknown[]).includes(name)) {
    throw new RangeError(
      `${layer}: activation must be one of ${ACTIVATIONS.join(', ')}, got ${String(value)}`,
    );
  }
  return name as ActivationName;
}

export function activate(name: ActivationName, z: Tensor<'float32'>): Tensor<'float32'> {
  switch (name) {
    case 'relu':
      return ops.relu(z);
    case 'softmax':
      return ops.softmax(z);
    case 'sigmoid':
      return ops.sigmoid(z);
    case 'tanh':
      return ops.tanh(z);
    case 'linear':
      return z;
  }
}

/** dL/dz from dL/dy, given the activation's input z and output y. */
export function activationBackward(
  name: ActivationName,
  dy: Tensor<'float32'>,
  z: Tensor<'float32'>,
  y: Tensor<'float32'>,
): Tensor<'float32'> {
  switch (name) {
    case 'relu':
      return ops.reluBackward(dy, z);
    case 'softmax':
      return ops.softmaxBackward(dy, y);
    case 'sigmoid':
      return ops.sigmoidBackward(dy, y);
    case 'tanh':
      return ops.tanhBackward(dy, y);
    case 'linear':
      return dy;
  }
}
