// Dropout: while training, each activation is zeroed with probability `rate` and the survivors are
// scaled by 1 / (1 - rate) (inverted dropout, as Keras), so inference is the identity. The mask
// comes from the run's seeded random stream.

import { allocate, Tensor } from '@convoy/tensor';
import { type BackwardResult, Layer, type LayerArgs, type RunContext } from '../layer.js';
import type { SymbolicShape } from '../shape.js';

export interface DropoutArgs extends LayerArgs {
  rate: number;
}

export class Dropout extends Layer {
  readonly className = 'Dropout';
  readonly defaultName = 'dropout';
  readonly rate: number;
  private lastMask: Float32Array | undefined;

  constructor(args: DropoutArgs) {
    super(args);
    if (!(typeof args?.rate === 'number' && args.rate >= 0 && args.rate < 1)) {
      throw new RangeError(`dropout: rate must be a number in [0, 1), got ${args?.rate}`);
    }
    this.rate = args.rate;
  }

  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }

  async forward(x: Tensor<'float32'>, context: RunContext): Promise<Tensor<'float32'>> {
    if (!context.training || this.rate === 0) {
      this.lastMask = undefined;
      return x;
    }
    const keep = 1 - this.rate;
    const mask = allocate('float32', x.size);
    const out = allocate('float32', x.size);
    // In a replica each example draws from its own stream, so a mask does not depend on which
    // replica holds the example; otherwise one stream runs through the batch.
    const rows = x.shape[0] ?? 1;
    const rowSize = x.size / Math.max(rows, 1);
    for (let row = 0; row < rows; row++) {
      const rng = context.replica
        ? context.replica.exampleRng(this, context.replica.start + row)
        : context.rng;
      for (let i = row * rowSize; i < (row + 1) * rowSize; i++) {
        const m = rng.next() < this.rate ? 0 : 1 / keep;
        mask[i] = m;
        out[i] = x.data[i]! * m;
      }
    }
    this.lastMask = mask;
    return new Tensor(out, x.shape, 'float32');
  }

  async backward(dy: Tensor<'float32'>): Promise<BackwardResult> {
    const mask = this.lastMask;
    if (!mask) return { dx: dy, grads: [] };
    const dx = allocate('float32', dy.size);
    for (let i = 0; i < dy.size; i++) dx[i] = dy.data[i]! * mask[i]!;
    return { dx: new Tensor(dx, dy.shape, 'float32'), grads: [] };
  }

  protected layerConfig(): Record<string, unknown> {
    return { rate: this.rate, noise_shape: null, seed: null };
  }
}

export function dropout(args: DropoutArgs): Dropout {
  return new Dropout(args);
}
