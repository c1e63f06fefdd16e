// Fan-in and fan-out of a weight shape, computed as Keras does, for variance-scaling initializers.

import { type RandomOptions, randomUniform } from './random.js';
import { formatShape, type Shape } from './shape.js';
import type { Tensor } from './tensor.js';

export interface Fans {
  fanIn: number;
  fanOut: number;
}

/**
 * Dense kernels are [in, out]; conv kernels are HWIO [kh, kw, in, out], where each input and output
 * channel is seen through a kh*kw receptive field. Rank 1 and 0 follow Keras too.
 */
export function computeFans(shape: Shape): Fans {
  if (shape.length === 0) return { fanIn: 1, fanOut: 1 };
  if (shape.length === 1) return { fanIn: shape[0]!, fanOut: shape[0]! };
  if (shape.length === 2) return { fanIn: shape[0]!, fanOut: shape[1]! };
  let receptiveField = 1;
  for (const dim of shape.slice(0, -2)) receptiveField *= dim;
  const inputs = shape[shape.length - 2]!;
  const outputs = shape[shape.length - 1]!;
  if (receptiveField * inputs === 0)
    throw new RangeError(`computeFans: empty shape ${formatShape(shape)}`);
  return { fanIn: receptiveField * inputs, fanOut: receptiveField * outputs };
}

/** Keras's GlorotUniform: U(-limit, limit) with limit = sqrt(6 / (fanIn + fanOut)). */
export function glorotUniform(shape: Shape, options: RandomOptions = {}): Tensor<'float32'> {
  const { fanIn, fanOut } = computeFans(shape);
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  return randomUniform(shape, { ...options, min: -limit, max: limit });
}
