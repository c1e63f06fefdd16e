// GlobalAveragePooling2D: each image's mean per channel, [batch, height, width, channels] →
// [batch, channels]. No weights. Where Flatten hands a Dense layer every pixel (12,544 inputs
// after the textbook's model 1 convolutions), this hands it one number per channel, so the Dense
// layer after it is as small as the channel count.

import type { Tensor } from '@convoy/tensor';
import {
  type BackwardOptions,
  type BackwardResult,
  Layer,
  type LayerArgs,
  type RunContext,
} from '../layer.js';
import { expectNdim, type SymbolicShape } from '../shape.js';

export class GlobalAveragePooling2D extends Layer {
  readonly className = 'GlobalAveragePooling2D';
  readonly defaultName = 'global_average_pooling2d';
  private lastInputShape: readonly number[] | undefined;

  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    expectNdim(this.name, inputShape, 4);
    const [batch, height, width, channels] = inputShape as [number | null, number, number, number];
    if (height * width === 0) {
      throw new RangeError(
        `layer "${this.name}": an input of ${height}x${width} has no pixel to average`,
      );
    }
    return [batch, channels];
  }

  async forward(x: Tensor<'float32'>, context: RunContext): Promise<Tensor<'float32'>> {
    if (context.training) this.lastInputShape = x.shape;
    return context.executor.run('globalAvgPool2d', x);
  }

  async backward(
    dy: Tensor<'float32'>,
    context: RunContext,
    options: BackwardOptions,
  ): Promise<BackwardResult> {
    const xShape = this.cached(this.lastInputShape);
    if (!options.needInputGradient) return { dx: undefined, grads: [] };
    return { dx: await context.executor.run('globalAvgPool2dBackward', dy, xShape), grads: [] };
  }

  protected layerConfig(): Record<string, unknown> {
    return { data_format: 'channels_last' };
  }
}

export function globalAveragePooling2d(args: LayerArgs = {}): GlobalAveragePooling2D {
  return new GlobalAveragePooling2D(args);
}
