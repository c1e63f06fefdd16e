// MaxPooling2D and AveragePooling2D: windows reduced to their maximum or mean, channel by
// channel. No weights. Keras defaults: pool 2x2, strides equal to the pool, padding 'valid'.

import type * as ops from '@convoy/ops';
import type { Tensor } from '@convoy/tensor';
import {
  type BackwardOptions,
  type BackwardResult,
  Layer,
  type LayerArgs,
  type RunContext,
} from '../layer.js';
import { expectNdim, type SymbolicShape } from '../shape.js';
import { checkKerasPadding } from './conv2d.js';
import { type PairArg, pairOf, windowOutputSize } from './window.js';

export interface Pooling2dArgs extends LayerArgs {
  poolSize?: PairArg;
  /** Defaults to poolSize, as in Keras. */
  strides?: PairArg;
  padding?: 'same' | 'valid';
}

type PoolKind = 'max' | 'average';

abstract class Pooling2D extends Layer {
  protected abstract readonly kind: PoolKind;
  readonly poolSize: [number, number];
  readonly strides: [number, number];
  readonly padding: 'same' | 'valid';
  private lastInput: Tensor<'float32'> | undefined;

  constructor(args: Pooling2dArgs, layer: string) {
    super(args);
    this.poolSize = pairOf(args.poolSize ?? 2, layer, 'poolSize');
    this.strides = pairOf(args.strides ?? this.poolSize, layer, 'strides');
    this.padding = checkKerasPadding(args.padding ?? 'valid', layer);
  }

  protected get opOptions(): ops.PoolingOptions {
    return { poolSize: this.poolSize, strides: this.strides, padding: this.padding };
  }

  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    expectNdim(this.name, inputShape, 4);
    const [batch, height, width, channels] = inputShape as [number | null, number, number, number];
    const outHeight = windowOutputSize(height, this.poolSize[0], this.strides[0], this.padding);
    const outWidth = windowOutputSize(width, this.poolSize[1], this.strides[1], this.padding);
    if (outHeight <= 0 || outWidth <= 0) {
      throw new RangeError(
        `layer "${this.name}": pool ${this.poolSize.join('x')} with padding '${this.padding}' does not fit an input of ${height}x${width}`,
      );
    }
    return [batch, outHeight, outWidth, channels];
  }

  async forward(x: Tensor<'float32'>, context: RunContext): Promise<Tensor<'float32'>> {
    if (context.training) this.lastInput = x;
    const kernel = this.kind === 'max' ? 'maxPool2d' : 'avgPool2d';
    return context.executor.run(kernel, x, this.opOptions);
  }

  async backward(
    dy: Tensor<'float32'>,
    context: RunContext,
    options: BackwardOptions,
  ): Promise<BackwardResult> {
    const x = this.cached(this.lastInput);
    if (!options.needInputGradient) return { dx: undefined, grads: [] };
    const dx =
      this.kind === 'max'
        ? await context.executor.run('maxPool2dBackward', dy, x, this.opOptions)
        : await context.executor.run('avgPool2dBackward', dy, x.shape, this.opOptions);
    return { dx, grads: [] };
  }

  protected layerConfig(): Record<string, unknown> {
    return {
      pool_size: [...this.poolSize],
      padding: this.padding,
      strides: [...this.strides],
      data_format: 'channels_last',
    };
  }
}

export class MaxPooling2D extends Pooling2D {
  readonly className = 'MaxPooling2D';
  readonly defaultName = 'max_pooling2d';
  protected readonly kind = 'max';

  constructor(args: Pooling2dArgs = {}) {
    super(args, 'maxPooling2d');
  }
}

export class AveragePooling2D extends Pooling2D {
  readonly className = 'AveragePooling2D';
  readonly defaultName = 'average_pooling2d';
  protected readonly kind = 'average';

  constructor(args: Pooling2dArgs = {}) {
    super(args, 'avgPooling2d');
  }
}

export function maxPooling2d(args: Pooling2dArgs = {}): MaxPooling2D {
  return new MaxPooling2D(args);
}

export function avgPooling2d(args: Pooling2dArgs = {}): AveragePooling2D {
  return new AveragePooling2D(args);
}
