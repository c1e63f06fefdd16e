// The base every layer extends: a Keras class name and config, weights named as Keras names
// them (`kernel`, `bias`), shape inference, and a forward paired with its backward. Each layer
// keeps what its backward needs from the last training forward, so one model runs one batch at a
// time (there is no autodiff tape: see DESIGN.md "One training step").

import type { Executor } from '@convoy/ops';
import { allocate, canShareMemory, type Rng, sizeOf, Tensor } from '@convoy/tensor';
import type { SymbolicShape } from './shape.js';
import type { RunBuffers } from './workspace.js';

export interface LayerWeight {
  /** Keras's short name: `kernel`, `bias`, `gamma`, `moving_mean`… */
  readonly name: string;
  value: Tensor<'float32'>;
  readonly trainable: boolean;
}

/** What a forward or backward pass runs with. */
export interface RunContext {
  /** Training mode: dropout drops, batch normalization uses batch statistics. */
  training: boolean;
  /** Runs the heavy kernels (convolutions and their gradients, matrix products). */
  executor: Executor;
  /** Randomness for dropout masks. */
  rng: Rng;
  /**
   * Where layers write their outputs and gradients, reused from batch to batch (see
   * workspace.ts). fit, evaluate and predict give one; without it every result is a new tensor,
   * which is what a caller that keeps the tensors a pass returns needs.
   */
  buffers?: RunBuffers | undefined;
}

/**
 * `tensor` on shared memory when a worker pool will read it. The pool copies unshared inputs on
 * every call; a layer that hands the same tensor to two calls (forward and filter gradient, or
 * both gradients) shares it once here instead.
 */
export function sharedFor(executor: Executor, tensor: Tensor<'float32'>): Tensor<'float32'> {
  if (executor.workers <= 1 || tensor.shared || !canShareMemory()) return tensor;
  const data = allocate('float32', tensor.size, { shared: true });
  data.set(tensor.data);
  return new Tensor(data, tensor.shape, 'float32');
}

export interface BackwardOptions {
  /** The first layer's input gradient is never used, and costs a whole convolution to compute. */
  needInputGradient: boolean;
  /**
   * The incoming gradient is already with respect to the pre-activation output (the fused
   * softmax + cross-entropy path), so the activation's backward is skipped.
   */
  gradientIsPreActivation?: boolean;
}

export interface BackwardResult {
  dx: Tensor<'float32'> | undefined;
  /** One gradient per trainable weight, in the order of `trainableWeights`. */
  grads: Tensor<'float32'>[];
}

export interface LayerArgs {
  /** Defaults to the Keras name for the class, numbered by the model: dense, dense_1, … */
  name?: string;
  /** The shape of one example (without the batch axis), as Keras's `input_shape=`. */
  inputShape?: readonly number[];
}

export abstract class Layer {
  /** The Keras class name: `Conv2D`, `MaxPooling2D`, … */
  abstract readonly className: string;
  /** The Keras default name stem: `conv2d`, `max_pooling2d`, … */
  abstract readonly defaultName: string;
  /** Empty until the model names the layer. */
  name: string;
  readonly declaredInputShape: readonly number[] | undefined;
  inputShape: SymbolicShape | undefined;
  outputShape: SymbolicShape | undefined;
  weights: LayerWeight[] = [];

  constructor(args: LayerArgs = {}) {
    this.name = args.name ?? '';
    this.declaredInputShape = args.inputShape ? [...args.inputShape] : undefined;
  }

  get built(): boolean {
    return this.outputShape !== undefined;
  }

  /** Checks the input shape, makes the weights, and records both shapes. */
  build(inputShape: SymbolicShape, rng: Rng): void {
    const outputShape = this.computeOutputShape(inputShape);
    this.createWeights(inputShape, rng);
    // Weights live on shared memory where the runtime allows it, so the worker pool reads them
    // without a copy per call. Done once, here: the optimizer keys its slots by this storage.
    if (canShareMemory()) {
      for (const weight of this.weights) {
        if (!weight.value.shared) {
          const shared = allocate('float32', weight.value.size, { shared: true });
          shared.set(weight.value.data);
          weight.value = new Tensor(shared, weight.value.shape, 'float32');
        }
      }
    }
    this.inputShape = inputShape;
    this.outputShape = outputShape;
  }

  /** The output shape for an input shape; throws a Keras-worded error when the input does not fit. */
  abstract computeOutputShape(inputShape: SymbolicShape): SymbolicShape;

  protected createWeights(_inputShape: SymbolicShape, _rng: Rng): void {}

  abstract forward(x: Tensor<'float32'>, context: RunContext): Promise<Tensor<'float32'>>;

  abstract backward(
    dy: Tensor<'float32'>,
    context: RunContext,
    options: BackwardOptions,
  ): Promise<BackwardResult>;

  /** The layer's own Keras config keys (snake_case), without name/trainable/dtype. */
  protected abstract layerConfig(): Record<string, unknown>;

  /** The full Keras config, as tf.keras's `get_config()` orders it. */
  getConfig(): Record<string, unknown> {
    const config: Record<string, unknown> = { name: this.name, trainable: true };
    if (this.declaredInputShape) config.batch_input_shape = [null, ...this.declaredInputShape];
    config.dtype = 'float32';
    return { ...config, ...this.layerConfig() };
  }

  get trainableWeights(): LayerWeight[] {
    return this.weights.filter((w) => w.trainable);
  }

  get nonTrainableWeights(): LayerWeight[] {
    return this.weights.filter((w) => !w.trainable);
  }

  countParams(): number {
    return this.weights.reduce((sum, w) => sum + sizeOf(w.value.shape), 0);
  }

  /** `conv2d/kernel`: the name the TensorFlow.js weights manifest uses. */
  weightPath(weight: LayerWeight): string {
    return `${this.name}/${weight.name}`;
  }

  protected requireBuilt(): void {
    if (!this.built) throw new Error(`layer "${this.name}" is used before it was built`);
  }

  /** Throws when backward comes without a training forward before it. */
  protected cached<T>(value: T | undefined): T {
    if (value === undefined) {
      throw new Error(`layer "${this.name}": backward called before a training forward`);
    }
    return value;
  }
}
