// Keras's default initializers (GlorotUniform kernels, Zeros biases, Ones for scales), seeded from
// the model's random stream, with the {class_name, config} form Keras serializes them in.

import {
  fill,
  formatShape,
  glorotUniform,
  type Rng,
  type Shape,
  type Tensor,
} from '@convoy/tensor';

export type InitializerName = 'glorotUniform' | 'zeros' | 'ones';

const KERAS_CLASS: { [N in InitializerName]: string } = {
  glorotUniform: 'GlorotUniform',
  zeros: 'Zeros',
  ones: 'Ones',
};

/**
 * The most elements one weight may have: 2^27 (512 MiB of float32; VGG16's largest kernel has
 * 103M). A layer's config (a loaded model.json's above all) can declare any size, and the
 * weight is allocated and filled right away.
 */
export const MAX_WEIGHT_ELEMENTS = 2 ** 27;

export function initialize(name: InitializerName, shape: Shape, rng: Rng): Tensor<'float32'> {
  const elements = shape.reduce((product, n) => product * n, 1);
  if (!(elements <= MAX_WEIGHT_ELEMENTS))
    throw new RangeError(
      `a weight of shape ${formatShape(shape)} has ${elements} elements, more than the limit of ${MAX_WEIGHT_ELEMENTS}`,
    );
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
