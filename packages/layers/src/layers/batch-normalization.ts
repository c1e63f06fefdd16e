// BatchNormalization over the last axis (channels). Training normalizes with the batch's mean and
// (biased) variance and moves the running statistics toward them by `momentum`; inference uses
// the running statistics. gamma and beta train; moving_mean and moving_variance do not (they are
// the "Non-trainable params" of the summary).

import { allocate, type Rng, Tensor } from '@convoy/tensor';
import { initialize, initializerConfig } from '../initializers.js';
import { type BackwardResult, Layer, type LayerArgs, type RunContext } from '../layer.js';
import { expectLastAxis, expectMinNdim, type SymbolicShape } from '../shape.js';

export interface BatchNormalizationArgs extends LayerArgs {
  momentum?: number;
  epsilon?: number;
}

interface BatchCache {
  normalized: Float32Array;
  inverseStd: Float64Array;
  shape: readonly number[];
}

export class BatchNormalization extends Layer {
  readonly className = 'BatchNormalization';
  readonly defaultName = 'batch_normalization';
  readonly momentum: number;
  readonly epsilon: number;
  private last: BatchCache | undefined;

  constructor(args: BatchNormalizationArgs = {}) {
    super(args);
    this.momentum = args.momentum ?? 0.99;
    this.epsilon = args.epsilon ?? 0.001;
    if (!(this.momentum >= 0 && this.momentum <= 1)) {
      throw new RangeError(`batchNormalization: momentum must be in [0, 1], got ${this.momentum}`);
    }
    if (!(this.epsilon > 0)) {
      throw new RangeError(`batchNormalization: epsilon must be positive, got ${this.epsilon}`);
    }
  }

  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    expectMinNdim(this.name, inputShape, 2);
    const channels = this.weights[0]?.value.shape[0];
    if (channels !== undefined) expectLastAxis(this.name, inputShape, channels);
    return inputShape;
  }

  protected override createWeights(inputShape: SymbolicShape, rng: Rng): void {
    if (this.weights.length > 0) return;
    const channels = [inputShape[inputShape.length - 1] as number];
    this.weights = [
      { name: 'gamma', value: initialize('ones', channels, rng), trainable: true },
      { name: 'beta', value: initialize('zeros', channels, rng), trainable: true },
      { name: 'moving_mean', value: initialize('zeros', channels, rng), trainable: false },
      { name: 'moving_variance', value: initialize('ones', channels, rng), trainable: false },
    ];
  }

  private get parts() {
    const [gamma, beta, movingMean, movingVariance] = this.weights.map((w) => w.value.data);
    return { gamma: gamma!, beta: beta!, movingMean: movingMean!, movingVariance: movingVariance! };
  }

  async forward(x: Tensor<'float32'>, context: RunContext): Promise<Tensor<'float32'>> {
    this.requireBuilt();
    const { gamma, beta, movingMean, movingVariance } = this.parts;
    const channels = gamma.length;
    const count = x.size / channels;
    const out = allocate('float32', x.size);
    if (!context.training) {
      for (let i = 0; i < x.size; i++) {
        const c = i % channels;
        const scale = gamma[c]! / Math.sqrt(movingVariance[c]! + this.epsilon);
        out[i] = (x.data[i]! - movingMean[c]!) * scale + beta[c]!;
      }
      return new Tensor(out, x.shape, 'float32');
    }
    const mean = new Float64Array(channels);
    const variance = new Float64Array(channels);
    for (let i = 0; i < x.size; i++) mean[i % channels]! += x.data[i]!;
    for (let c = 0; c < channels; c++) mean[c]! /= count;
    for (let i = 0; i < x.size; i++) {
      const d = x.data[i]! - mean[i % channels]!;
      variance[i % channels]! += d * d;
    }
    const inverseStd = new Float64Array(channels);
    for (let c = 0; c < channels; c++) {
      variance[c]! /= count;
      inverseStd[c] = 1 / Math.sqrt(variance[c]! + this.epsilon);
      movingMean[c] = movingMean[c]! * this.momentum + mean[c]! * (1 - this.momentum);
      movingVariance[c] = movingVariance[c]! * this.momentum + variance[c]! * (1 - this.momentum);
    }
    const normalized = allocate('float32', x.size);
    for (let i = 0; i < x.size; i++) {
      const c = i % channels;
      normalized[i] = (x.data[i]! - mean[c]!) * inverseStd[c]!;
      out[i] = normalized[i]! * gamma[c]! + beta[c]!;
    }
    this.last = { normalized, inverseStd, shape: x.shape };
    return new Tensor(out, x.shape, 'float32');
  }

  async backward(dy: Tensor<'float32'>): Promise<BackwardResult> {
    const { normalized, inverseStd, shape } = this.cached(this.last);
    const { gamma } = this.parts;
    const channels = gamma.length;
    const count = dy.size / channels;
    const dGamma = new Float64Array(channels);
    const dBeta = new Float64Array(channels);
    for (let i = 0; i < dy.size; i++) {
      const c = i % channels;
      dBeta[c]! += dy.data[i]!;
      dGamma[c]! += dy.data[i]! * normalized[i]!;
    }
    // dx = gamma * invStd / N * (N dy - Σdy - x̂ Σ(dy x̂)), per channel.
    const dx = allocate('float32', dy.size);
    for (let i = 0; i < dy.size; i++) {
      const c = i % channels;
      const scaled = count * dy.data[i]! - dBeta[c]! - normalized[i]! * dGamma[c]!;
      dx[i] = (gamma[c]! * inverseStd[c]! * scaled) / count;
    }
    return {
      dx: new Tensor(dx, shape, 'float32'),
      grads: [
        new Tensor(Float32Array.from(dGamma), [channels], 'float32'),
        new Tensor(Float32Array.from(dBeta), [channels], 'float32'),
      ],
    };
  }

  protected layerConfig(): Record<string, unknown> {
    return {
      axis: -1,
      momentum: this.momentum,
      epsilon: this.epsilon,
      center: true,
      scale: true,
      beta_initializer: initializerConfig('zeros'),
      gamma_initializer: initializerConfig('ones'),
      moving_mean_initializer: initializerConfig('zeros'),
      moving_variance_initializer: initializerConfig('ones'),
      beta_regularizer: null,
      gamma_regularizer: null,
      beta_constraint: null,
      gamma_constraint: null,
    };
  }
}

export function batchNormalization(args: BatchNormalizationArgs = {}): BatchNormalization {
  return new BatchNormalization(args);
}
