// The Sequential model: a stack of layers named and built as Keras does (conv2d, conv2d_1, …;
// shapes checked layer by layer), its summary, compile, and the entry points for training,
// evaluation, prediction and saving (implemented in training.ts, evaluation.ts, save.ts and
// artifacts.ts, which see it as a Model: model.ts).

import { createOptimizer, type Optimizer, type OptimizerIdentifier } from '@convoy/optim';
import { createRng, formatShape, type Rng, shapesEqual, type Tensor } from '@convoy/tensor';
import { type ModelArtifacts, toArtifacts } from './artifacts.js';
import type { History } from './callbacks.js';
import { type EvaluateOptions, evaluate, type PredictOptions, predict } from './evaluation.js';
import type { Layer, LayerWeight } from './layer.js';
import { InputLayer } from './layers/input.js';
import { checkLoss, isCrossEntropy, type LossName } from './losses.js';
import type { MetricName, Model } from './model.js';
import { type SaveOptions, saveModel } from './save.js';
import { expectShape, type SymbolicShape } from './shape.js';
import { formatSummary, type SummaryOptions } from './summary.js';
import { type FitOptions, fit } from './training.js';

export interface SequentialOptions {
  /** Default "sequential". */
  name?: string;
  /** Seeds the weight initializers, the shuffling and the dropout masks. Default 0. */
  seed?: number;
}

export interface CompileOptions {
  /** 'adam', 'sgd', 'rmsprop', a config, or an optimizer from @convoy/optim. */
  optimizer: OptimizerIdentifier;
  loss: LossName | 'mse';
  metrics?: readonly MetricName[];
}

export class Sequential implements Model {
  readonly name: string;
  readonly seed: number;
  /** The layers that compute, in order (the InputLayer is not one of them, as in tf.keras). */
  readonly layers: Layer[] = [];
  inputLayer: InputLayer | undefined;
  /** Set to true (from a callback, say) to end fit after the current batch. */
  stopTraining = false;
  optimizer: Optimizer | undefined;
  loss: LossName | undefined;
  metrics: MetricName[] = [];
  /** The stream for initializers; `trainingRng` is the one for shuffles and dropout. */
  private readonly initRng: Rng;
  readonly trainingRng: Rng;

  constructor(layers: readonly (Layer | InputLayer)[] = [], options: SequentialOptions = {}) {
    this.name = options.name ?? 'sequential';
    this.seed = options.seed ?? 0;
    this.initRng = createRng(this.seed);
    this.trainingRng = createRng(this.seed + 0x5eed);
    for (const layer of layers) this.add(layer);
  }

  /** Appends a layer, names it (dense, dense_1, …) and builds it when the input shape is known. */
  add(layer: Layer | InputLayer): void {
    if (layer instanceof InputLayer) {
      if (this.inputLayer || this.layers.length > 0) {
        throw new Error(`sequential "${this.name}": an input layer can only come first`);
      }
      layer.name ||= 'input_1';
      this.inputLayer = layer;
      return;
    }
    if (this.layers.includes(layer)) {
      throw new Error(`sequential "${this.name}": layer "${layer.name}" was added twice`);
    }
    if (!layer.name) layer.name = this.uniqueName(layer.defaultName);
    if (this.layers.some((other) => other.name === layer.name)) {
      throw new Error(
        `All layers added to a Sequential model should have unique names. Name "${layer.name}" is already the name of a layer in this model.`,
      );
    }
    const previous = this.layers[this.layers.length - 1];
    const declared = this.inputLayer?.shape ?? layer.declaredInputShape;
    const inputShape = previous ? previous.outputShape : declared ? [null, ...declared] : undefined;
    // Built before it joins, so a layer that does not fit leaves the model as it was.
    if (inputShape) layer.build(inputShape, this.initRng);
    this.layers.push(layer);
  }

  private uniqueName(stem: string): string {
    const taken = new Set(this.layers.map((l) => l.name));
    if (!taken.has(stem)) return stem;
    let n = 1;
    while (taken.has(`${stem}_${n}`)) n++;
    return `${stem}_${n}`;
  }

  private declaredInputShape(): SymbolicShape | undefined {
    const shape = this.inputLayer?.shape ?? this.layers[0]?.declaredInputShape;
    return shape ? [null, ...shape] : undefined;
  }

  get built(): boolean {
    return this.layers.length > 0 && this.layers.every((l) => l.built);
  }

  /** Builds every layer for inputs of `inputShape` (one example, no batch axis) if not yet built. */
  build(inputShape?: readonly number[]): void {
    let shape: SymbolicShape | undefined =
      this.declaredInputShape() ?? (inputShape ? [null, ...inputShape] : undefined);
    if (!shape) {
      throw new Error(
        'This model has not yet been built. Build the model first by calling `build()` or by calling the model on a batch of data.',
      );
    }
    for (const layer of this.layers) {
      if (!layer.built) layer.build(shape, this.initRng);
      shape = layer.outputShape!;
    }
  }

  get inputShape(): SymbolicShape | undefined {
    return this.layers[0]?.inputShape ?? this.declaredInputShape();
  }

  get outputShape(): SymbolicShape | undefined {
    return this.layers[this.layers.length - 1]?.outputShape;
  }

  /** Builds for `x` if needed and checks its shape, with Keras's message naming both shapes. */
  ensureBuiltFor(x: Tensor): void {
    if (x.dtype !== 'float32') {
      throw new TypeError(
        `sequential "${this.name}": inputs must be float32, got ${x.dtype} of shape ${formatShape(x.shape)}`,
      );
    }
    if (!this.built) this.build(x.shape.slice(1));
    expectShape(this.name, x.shape, this.inputShape!);
  }

  get weights(): LayerWeight[] {
    return this.layers.flatMap((l) => l.weights);
  }

  get trainableWeights(): LayerWeight[] {
    return this.layers.flatMap((l) => l.trainableWeights);
  }

  countParams(): number {
    return this.layers.reduce((sum, l) => sum + l.countParams(), 0);
  }

  /** The weight values in Keras's `get_weights()` order (layer by layer, kernel before bias). */
  getWeights(): Tensor<'float32'>[] {
    return this.weights.map((w) => w.value);
  }

  /** Copies values into the weights in place (the optimizer's state stays bound to them). */
  setWeights(values: readonly Tensor[]): void {
    const weights = this.weights;
    if (values.length !== weights.length) {
      throw new RangeError(
        `sequential "${this.name}": setWeights expects ${weights.length} arrays, got ${values.length}`,
      );
    }
    weights.forEach((weight, i) => {
      const value = values[i]!;
      if (!shapesEqual(value.shape, weight.value.shape)) {
        const layer = this.layers.find((l) => l.weights.includes(weight))!;
        throw new RangeError(
          `Layer "${layer.name}" weight "${weight.name}" has shape ${formatShape(weight.value.shape)}, which is not compatible with the provided weight shape ${formatShape(value.shape)}`,
        );
      }
      weight.value.data.set(value.data);
    });
  }

  summary(options: SummaryOptions = {}): string {
    if (!this.built) this.build();
    const rows = this.layers.map((l) => ({
      name: l.name,
      className: l.className,
      outputShape: l.outputShape!,
      params: l.countParams(),
    }));
    const count = (weights: LayerWeight[]) => weights.reduce((s, w) => s + w.value.size, 0);
    const text = formatSummary(
      {
        modelName: this.name,
        rows,
        trainableParams: count(this.trainableWeights),
        nonTrainableParams: count(this.layers.flatMap((l) => l.nonTrainableWeights)),
      },
      options,
    );
    const print = options.printFn ?? console.log;
    for (const line of text.split('\n')) print(line);
    return text;
  }

  compile(options: CompileOptions): void {
    const loss = checkLoss(options?.loss);
    const metrics = [...(options.metrics ?? [])];
    for (const metric of metrics) {
      if (metric !== 'accuracy' && metric !== 'acc') {
        throw new RangeError(
          `compile: metrics may hold 'accuracy' (or 'acc'), got ${String(metric)}`,
        );
      }
      if (!isCrossEntropy(loss)) {
        throw new RangeError(
          `compile: the accuracy metric needs a cross-entropy loss, got ${loss}`,
        );
      }
    }
    this.optimizer = createOptimizer(options.optimizer);
    this.loss = loss;
    this.metrics = metrics;
  }

  fit(x: Tensor, y: Tensor, options: FitOptions = {}): Promise<History> {
    return fit(this, x, y, options);
  }

  evaluate(x: Tensor, y: Tensor, options: EvaluateOptions = {}): Promise<Record<string, number>> {
    return evaluate(this, x, y, options);
  }

  predict(x: Tensor, options: PredictOptions = {}): Promise<Tensor<'float32'>> {
    return predict(this, x, options);
  }

  /** Writes model.json + group1-shard1of1.bin (TensorFlow.js LayersModel format) atomically. */
  save(dir: string, options: SaveOptions = {}): Promise<void> {
    return saveModel(this, dir, options);
  }

  /** The same model.json and weights bytes save() writes, in memory (for browsers). */
  toArtifacts(): ModelArtifacts {
    return toArtifacts(this);
  }
}

export function sequential(
  layers: readonly (Layer | InputLayer)[] = [],
  options: SequentialOptions = {},
): Sequential {
  return new Sequential(layers, options);
}
