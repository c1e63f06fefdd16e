// BatchNormalization over the last axis (channels). Training normalizes with the batch's mean and
// (biased) variance and moves the running statistics toward them by `momentum`; inference uses
// the running statistics. gamma and beta train; moving_mean and moving_variance do not (they are
// the "Non-trainable params" of the summary).
//
// Every sum over the batch is taken per example first, then over the examples in order. In a
// data-parallel replica the per-example sums go to whole-batch buffers and a barrier lets every
// replica add up all of them (synchronized batch normalization: the statistics are the whole
// batch's, as on one thread); gamma and beta's gradients are those same sums ('by-parameter').

import { allocate, type Rng, Tensor } from '@convoy/tensor';
import { initialize, initializerConfig } from '../initializers.js';
import {
  type BackwardResult,
  type GradientMode,
  Layer,
  type LayerArgs,
  type ReplicaBufferSpec,
  type ReplicaStep,
  type RunContext,
} from '../layer.js';
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

  override get supportsReplicas(): boolean {
    return true;
  }

  override gradientMode(): GradientMode {
    return 'by-parameter';
  }

  override replicaBuffers(): ReplicaBufferSpec[] {
    const rowSize = this.weights[0]!.value.size;
    return ['sum', 'squares', 'dGamma', 'dBeta'].map((key) => ({
      key,
      rowSize,
      dtype: 'float64' as const,
    }));
  }

  /** gamma's (weight 0) or beta's (weight 1) gradient: the per-example sums backward left. */
  override parameterGradient(
    weight: number,
    start: number,
    end: number,
    out: Float32Array,
    replica: ReplicaStep,
  ): void {
    const sums = replica.batchSums(this, weight === 0 ? 'dGamma' : 'dBeta');
    const channels = this.weights[0]!.value.size;
    for (let c = start; c < end; c++) {
      let total = 0;
      for (let e = 0; e < replica.batchSize; e++) total += sums[e * channels + c]!;
      out[c] = total;
    }
  }

  async forward(x: Tensor<'float32'>, context: RunContext): Promise<Tensor<'float32'>> {
    this.requireBuilt();
    const { gamma, beta, movingMean, movingVariance } = this.parts;
    const channels = gamma.length;
    const out = allocate('float32', x.size);
    if (!context.training) {
      for (let i = 0; i < x.size; i++) {
        const c = i % channels;
        const scale = gamma[c]! / Math.sqrt(movingVariance[c]! + this.epsilon);
        out[i] = (x.data[i]! - movingMean[c]!) * scale + beta[c]!;
      }
      return new Tensor(out, x.shape, 'float32');
    }
    const batch = new BatchSums(this, x.shape[0] ?? 1, channels, context.replica);
    const perExample = x.size / Math.max(1, batch.rows);
    const count = (batch.batchSize * perExample) / channels;
    const mean = batch.total('sum', (row, sums) => {
      for (let i = row * perExample; i < (row + 1) * perExample; i++) {
        sums[i % channels]! += x.data[i]!;
      }
    });
    for (let c = 0; c < channels; c++) mean[c]! /= count;
    const variance = batch.total('squares', (row, sums) => {
      for (let i = row * perExample; i < (row + 1) * perExample; i++) {
        const d = x.data[i]! - mean[i % channels]!;
        sums[i % channels]! += d * d;
      }
    });
    const inverseStd = new Float64Array(channels);
    // One replica moves the running statistics; every replica computed the same ones.
    const movesStatistics = (context.replica?.start ?? 0) === 0;
    for (let c = 0; c < channels; c++) {
      variance[c]! /= count;
      inverseStd[c] = 1 / Math.sqrt(variance[c]! + this.epsilon);
      if (movesStatistics) {
        movingMean[c] = movingMean[c]! * this.momentum + mean[c]! * (1 - this.momentum);
        movingVariance[c] = movingVariance[c]! * this.momentum + variance[c]! * (1 - this.momentum);
      }
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

  async backward(dy: Tensor<'float32'>, context: RunContext): Promise<BackwardResult> {
    const { normalized, inverseStd, shape } = this.cached(this.last);
    const { gamma } = this.parts;
    const channels = gamma.length;
    const batch = new BatchSums(this, shape[0] ?? 1, channels, context.replica);
    const perExample = dy.size / Math.max(1, batch.rows);
    const count = (batch.batchSize * perExample) / channels;
    const dBeta = batch.total('dBeta', (row, sums) => {
      for (let i = row * perExample; i < (row + 1) * perExample; i++) {
        sums[i % channels]! += dy.data[i]!;
      }
    });
    const dGamma = batch.total('dGamma', (row, sums) => {
      for (let i = row * perExample; i < (row + 1) * perExample; i++) {
        sums[i % channels]! += dy.data[i]! * normalized[i]!;
      }
    });
    const dx = allocate('float32', dy.size);
    for (let i = 0; i < dy.size; i++) {
      const c = i % channels;
      const scaled = count * dy.data[i]! - dBeta[c]! - normalized[i]! * dGamma[c]!;
      dx[i] = (gamma[c]! * inverseStd[c]! * scaled) / count;
    }
    return {
      dx: new Tensor(dx, shape, 'float32'),
      // In a replica these come later, for the whole batch (parameterGradient).
      grads: context.replica
        ? []
        : [
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

/**
 * Per-channel sums over the batch, taken per example and then over the examples in order: for
 * the local rows alone, or, in a replica, through the whole-batch buffers so that every replica
 * gets the whole batch's totals.
 */
class BatchSums {
  readonly batchSize: number;

  constructor(
    private readonly layer: BatchNormalization,
    readonly rows: number,
    private readonly channels: number,
    private readonly replica: ReplicaStep | undefined,
  ) {
    this.batchSize = replica?.batchSize ?? rows;
  }

  /** Fills each local row's sums with `add`, then returns the totals over the batch. */
  total(key: string, add: (row: number, sums: Float64Array) => void): Float64Array {
    const { channels, replica } = this;
    const perExample = replica
      ? replica.batchSums(this.layer, key)
      : new Float64Array(this.rows * channels);
    const first = replica?.start ?? 0;
    for (let row = 0; row < this.rows; row++) {
      const sums = perExample.subarray((first + row) * channels, (first + row + 1) * channels);
      sums.fill(0);
      add(row, sums);
    }
    replica?.barrier();
    const totals = new Float64Array(channels);
    for (let e = 0; e < this.batchSize; e++) {
      for (let c = 0; c < channels; c++) totals[c]! += perExample[e * channels + c]!;
    }
    return totals;
  }
}

export function batchNormalization(args: BatchNormalizationArgs = {}): BatchNormalization {
  return new BatchNormalization(args);
}
