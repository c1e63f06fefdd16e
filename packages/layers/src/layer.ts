// The base every layer extends: a Keras class name and config, weights named as Keras names
// them (`kernel`, `bias`), shape inference, and a forward paired with its backward. Each layer
// keeps what its backward needs from the last training forward, so one model runs one batch at a
// time (there is no autodiff tape: see docs/architecture.md, "One training step").
//
// Inside a data-parallel replica (src/data-parallel/) a layer sees only some rows of the batch,
// and its weight gradients are the engine's business: each trainable weight's gradient is either
// summed from per-example gradients the layer writes during backward ('per-example', small
// weights such as convolution filters) or computed afterwards for a range of the weight over the
// whole batch ('by-parameter', large weights such as a Dense kernel). Either way no number
// depends on how the batch was split between threads.

import type { Executor } from '@convoy/ops';
import { allocate, canShareMemory, type Rng, sizeOf, Tensor } from '@convoy/tensor';
import type { SymbolicShape } from './shape.js';

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
  /**
   * Runs the kernels (convolutions and their gradients, matrix products, pooling, the fused bias
   * and ReLU gradient) and finds their results' storage: fit, evaluate and predict give a loop
   * view (Executor.loop), which reuses it from batch to batch.
   */
  executor: Executor;
  /** Randomness for dropout masks. */
  rng: Rng;
  /**
   * Set when this pass runs inside a data-parallel replica: the rows of the batch it holds, and
   * where weight gradients and whole-batch buffers go. Layers then compute no weight gradient
   * of their own in backward (see Layer.gradientMode).
   */
  replica?: ReplicaStep | undefined;
}

/**
 * What a layer sees of a data-parallel step (RunContext.replica): which rows of the batch this
 * replica holds, and the engine's storage for what crosses replicas — per-example weight
 * gradients, whole-batch buffers — plus a barrier for layers whose forward needs the whole batch
 * (batch normalization's statistics). Declared here, beside the Layer its methods are keyed by;
 * src/data-parallel/replica.ts implements it.
 */
export interface ReplicaStep {
  /** The first row of the batch this replica holds. */
  readonly start: number;
  /** How many rows it holds (possibly 0 when the batch has fewer rows than there are replicas). */
  readonly count: number;
  /** The rows of the whole batch: the n of every mean over the batch. */
  readonly batchSize: number;
  /** The step's number (the optimizer's iterations before it): seeds per-example randomness. */
  readonly iteration: number;
  /**
   * Where the gradients of `layer`'s trainable weight `weight` (a 'per-example' weight) for this
   * replica's rows go: count × the weight's size floats, example after example, overwritten by
   * the layer.
   */
  exampleGradients(layer: Layer, weight: number): Float32Array;
  /**
   * `layer`'s whole-batch buffer `key` (declared in replicaBuffers): rowSize numbers per example,
   * example after example, shared by every replica; each writes only its own rows.
   */
  batchBuffer(layer: Layer, key: string): Float32Array;
  /** The float64 twin of batchBuffer, for sums that must not round before they are combined. */
  batchSums(layer: Layer, key: string): Float64Array;
  /** A random stream of its own for one example of this step and layer (dropout masks). */
  exampleRng(layer: Layer, example: number): Rng;
  /** Returns when every replica holding rows of this batch has called it as often. */
  barrier(): void;
}

/** How the data-parallel engine gets a trainable weight's gradient (see the file's header). */
export type GradientMode = 'per-example' | 'by-parameter';

/** A whole-batch buffer a layer needs from the engine: `rowSize` numbers per example. */
export interface ReplicaBufferSpec {
  key: string;
  rowSize: number;
  dtype: 'float32' | 'float64';
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
    try {
      this.createWeights(inputShape, rng);
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      throw new RangeError(`layer "${this.name}" (${this.className}): ${error.message}`, {
        cause: error,
      });
    }
    // Weights live on shared memory where the runtime allows it, so worker threads read them
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

  /**
   * Whether this layer can run inside a data-parallel replica. Layers without trainable weights
   * compute row by row and can; a layer with weights says how it provides their gradients.
   */
  get supportsReplicas(): boolean {
    return this.trainableWeights.length === 0;
  }

  /** How the gradient of trainable weight `weight` (index into trainableWeights) is computed. */
  gradientMode(_weight: number): GradientMode {
    return 'per-example';
  }

  /**
   * The granularity of a 'by-parameter' weight's ranges, in elements (a Dense kernel's row): the
   * engine only asks parameterGradient for whole units.
   */
  parameterUnit(_weight: number): number {
    return 1;
  }

  /**
   * For a 'by-parameter' weight: writes the gradient over the whole batch of elements
   * [start, end) of trainable weight `weight` into the same positions of `out` (the weight's
   * size), reading what backward left in the engine's whole-batch buffers.
   */
  parameterGradient(
    weight: number,
    _start: number,
    _end: number,
    _out: Float32Array,
    _replica: ReplicaStep,
  ): void {
    throw new Error(
      `layer "${this.name}": weight ${weight} has no by-parameter gradient (its gradientMode is per-example)`,
    );
  }

  /** The whole-batch buffers this layer reads and writes inside a replica. */
  replicaBuffers(): ReplicaBufferSpec[] {
    return [];
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
