// Flatten: each example's axes folded into one, row-major (NHWC order, as Keras and TensorFlow.js
// flatten, so a saved Dense kernel after it lines up). A view, no copy.

import { sizeOf, type Tensor } from '@convoy/tensor';
import { type BackwardResult, Layer, type LayerArgs, type RunContext } from '../layer.js';
import { concreteFeatureShape, expectMinNdim, type SymbolicShape } from '../shape.js';

export class Flatten extends Layer {
  readonly className = 'Flatten';
  readonly defaultName = 'flatten';
  private lastInputShape: readonly number[] | undefined;

  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    expectMinNdim(this.name, inputShape, 1);
    return [inputShape[0] ?? null, sizeOf(concreteFeatureShape(this.name, inputShape))];
  }

  async forward(x: Tensor<'float32'>, context: RunContext): Promise<Tensor<'float32'>> {
    if (context.training) this.lastInputShape = x.shape;
    return x.reshape([x.shape[0] ?? 1, sizeOf(x.shape.slice(1))]);
  }

  async backward(dy: Tensor<'float32'>): Promise<BackwardResult> {
    return { dx: dy.reshape(this.cached(this.lastInputShape)), grads: [] };
  }

  protected layerConfig(): Record<string, unknown> {
    return { data_format: 'channels_last' };
  }
}

export function flatten(args: LayerArgs = {}): Flatten {
  return new Flatten(args);
}
