// Dense: y = activation(x · kernel + bias) over the last axis. Both matrix products of the
// backward and the forward one run on the executor. When the activation is softmax, the model
// may hand backward the gradient with respect to the logits directly (the fused cross-entropy
// path), and `lastLogits` exposes those logits.
//
// In a data-parallel replica the weights' gradients are 'by-parameter': a Dense kernel is large
// (1.6M floats in the textbook's model 1) next to its batch of inputs, so instead of one kernel
// gradient per example, forward and backward leave the inputs and dL/dz of their rows in
// whole-batch buffers, and each replica then computes rows of xᵀ·dz over the whole batch for the
// part of the kernel it owns — exactly the single-thread product, split by output rows.

import { activeBackend } from '@convoy/ops';
import type { Rng, Tensor } from '@convoy/tensor';
import { type ActivationName, checkActivation } from '../activations.js';
import {
  type ActivationRecord,
  activationAndBiasGradients,
  addBiasAndActivate,
} from '../bias-activation.js';
import { initialize, initializerConfig } from '../initializers.js';
import {
  type BackwardOptions,
  type BackwardResult,
  type GradientMode,
  Layer,
  type LayerArgs,
  type ReplicaBufferSpec,
  type ReplicaStep,
  type RunContext,
} from '../layer.js';
import { expectLastAxis, expectMinNdim, type SymbolicShape } from '../shape.js';

export interface DenseArgs extends LayerArgs {
  units: number;
  activation?: ActivationName;
  useBias?: boolean;
}

export class Dense extends Layer {
  readonly className = 'Dense';
  readonly defaultName = 'dense';
  readonly units: number;
  readonly activation: ActivationName;
  readonly useBias: boolean;
  /** Inputs flattened to [rows, inputUnits], as the matrix products see them. */
  private lastInput: Tensor<'float32'> | undefined;
  private lastInputShape: readonly number[] | undefined;
  private lastActivation: ActivationRecord | undefined;

  constructor(args: DenseArgs) {
    super(args);
    if (!Number.isSafeInteger(args?.units) || args.units <= 0) {
      throw new RangeError(`dense: units must be a positive integer, got ${args?.units}`);
    }
    this.units = args.units;
    this.activation = checkActivation(args.activation, 'dense');
    this.useBias = args.useBias ?? true;
  }

  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    expectMinNdim(this.name, inputShape, 2);
    const inputUnits = this.weights[0]?.value.shape[0];
    if (inputUnits !== undefined) expectLastAxis(this.name, inputShape, inputUnits);
    const last = inputShape[inputShape.length - 1];
    if (last === null || last === undefined) {
      throw new RangeError(
        `layer "${this.name}": the last axis of the input must be known, got ${JSON.stringify(inputShape)}`,
      );
    }
    return [...inputShape.slice(0, -1), this.units];
  }

  protected override createWeights(inputShape: SymbolicShape, rng: Rng): void {
    if (this.weights.length > 0) return;
    const inputUnits = inputShape[inputShape.length - 1] as number;
    this.weights = [
      {
        name: 'kernel',
        value: initialize('glorotUniform', [inputUnits, this.units], rng),
        trainable: true,
      },
    ];
    if (this.useBias) {
      this.weights.push({
        name: 'bias',
        value: initialize('zeros', [this.units], rng),
        trainable: true,
      });
    }
  }

  /** The pre-activation output of the last training forward, as [rows, units]. */
  get lastLogits(): Tensor<'float32'> {
    return this.cached(this.lastActivation?.preActivation);
  }

  override get supportsReplicas(): boolean {
    return true;
  }

  override gradientMode(): GradientMode {
    return 'by-parameter';
  }

  /** Ranges of the kernel are whole rows (one input unit's weights). */
  override parameterUnit(weight: number): number {
    return weight === 0 ? this.units : 1;
  }

  override replicaBuffers(): ReplicaBufferSpec[] {
    const inputUnits = this.weights[0]!.value.shape[0]!;
    return [
      { key: 'input', rowSize: inputUnits, dtype: 'float32' },
      { key: 'preActivationGradient', rowSize: this.units, dtype: 'float32' },
    ];
  }

  /** Rows [start, end) of the kernel gradient xᵀ·dz (or bias columns), over the whole batch. */
  override parameterGradient(
    weight: number,
    start: number,
    end: number,
    out: Float32Array,
    replica: ReplicaStep,
  ): void {
    const rows = replica.batchSize;
    const inputUnits = this.weights[0]!.value.shape[0]!;
    const dz = replica.batchBuffer(this, 'preActivationGradient');
    if (weight === 1) {
      // Each unit's bias gradient: its dz summed over the batch in float64, in row order.
      for (let unit = start; unit < end; unit++) {
        let sum = 0;
        for (let row = 0; row < rows; row++) sum += dz[row * this.units + unit]!;
        out[unit] = sum;
      }
      return;
    }
    const x = replica.batchBuffer(this, 'input');
    activeBackend().matMul(
      x,
      dz,
      out,
      { m: inputUnits, k: rows, n: this.units, transposeA: true, transposeB: false },
      { start: start / this.units, end: end / this.units },
    );
  }

  async forward(x: Tensor<'float32'>, context: RunContext): Promise<Tensor<'float32'>> {
    this.requireBuilt();
    const kernel = this.weights[0]!.value;
    const flat = x.reshape([-1, kernel.shape[0]!]);
    if (context.training && context.replica) {
      const { start } = context.replica;
      context.replica.batchBuffer(this, 'input').set(flat.data, start * kernel.shape[0]!);
    }
    const z = await context.executor.run('matMul', flat, kernel);
    const record = addBiasAndActivate(
      z,
      this.useBias ? this.weights[1]!.value : undefined,
      this.activation,
    );
    if (context.training) {
      this.lastInput = flat;
      this.lastInputShape = x.shape;
      this.lastActivation = record;
    }
    return record.output.reshape([...x.shape.slice(0, -1), this.units]);
  }

  async backward(
    dy: Tensor<'float32'>,
    context: RunContext,
    options: BackwardOptions,
  ): Promise<BackwardResult> {
    const x = this.cached(this.lastInput);
    const dyRows = dy.reshape([-1, this.units]);
    const { dz, dBias } = await activationAndBiasGradients(
      dyRows,
      this.activation,
      this.useBias,
      this.cached(this.lastActivation),
      context.executor,
      options.gradientIsPreActivation,
    );
    const kernel = this.weights[0]!.value;
    if (context.replica) {
      // The weights' gradients come later, over the whole batch (parameterGradient).
      context.replica
        .batchBuffer(this, 'preActivationGradient')
        .set(dz.data, context.replica.start * this.units);
      const dx = options.needInputGradient
        ? await context.executor.run('matMul', dz, kernel, { transposeB: true })
        : undefined;
      return { dx: dx?.reshape(this.cached(this.lastInputShape)), grads: [] };
    }
    const [dKernel, dx] = await Promise.all([
      context.executor.run('matMul', x, dz, { transposeA: true }),
      options.needInputGradient
        ? context.executor.run('matMul', dz, kernel, { transposeB: true })
        : Promise.resolve(undefined),
    ]);
    const grads = [dKernel];
    if (dBias) grads.push(dBias);
    return { dx: dx?.reshape(this.cached(this.lastInputShape)), grads };
  }

  protected layerConfig(): Record<string, unknown> {
    return {
      units: this.units,
      activation: this.activation,
      use_bias: this.useBias,
      kernel_initializer: initializerConfig('glorotUniform'),
      bias_initializer: initializerConfig('zeros'),
      kernel_regularizer: null,
      bias_regularizer: null,
      activity_regularizer: null,
      kernel_constraint: null,
      bias_constraint: null,
    };
  }
}

export function dense(args: DenseArgs): Dense {
  return new Dense(args);
}
