// Keras's default initializers (GlorotUniform kernels, Zeros biases, Ones for scales), seeded from
// the model's random stream, with the {class_name, config} form Keras serializes them in.

import { fill, glorotUniform, type Rng, type Shape, type Tensor } from '@convoy/tensor';

export type InitializerName = 'glorotUniform' | 'zeros' | 'ones';

const KERAS_CLASS: { [N in InitializerName]: string } = {
  glorotUniform: 'GlorotUniform',
  zeros: 'Zeros',
  ones: 'Ones',
};

export function initialize(name: InitializerName, shape: Shape, rng: Rng): Tensor<'float32'> {
  switch (name) {
    case 'glorotUniform':
      return glorotUniform(shape, { seed: rng });
    case 'zeros':
      return fill(shape, 0);
    case 'ones':
      return fill(shape, 1);
  }
}

/** The Keras serialization: `{ class_name: 'GlorotUniform', config: { seed: null } }`. */
export function initializerConfig(name: InitializerName): Record<string, unknown> {
  return {
    class_name: KERAS_CLASS[name],
    config: name === 'glorotUniform' ? { seed: null } : {},
  };
}
