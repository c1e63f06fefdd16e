// What training, evaluation, saving and callbacks need of a model: its layers and weights, what
// compile set, the random stream and the stop flag. Sequential implements it. The modules behind
// Sequential's methods (training.ts, evaluation.ts, artifacts.ts, save.ts, …) take this instead of
// the class, so none of them imports the module that imports them.

import type { Optimizer } from '@convoy/optim';
import type { Rng, Tensor } from '@convoy/tensor';
import type { Layer, LayerWeight } from './layer.js';
import type { InputLayer } from './layers/input.js';
import type { LossName } from './losses.js';
import type { SymbolicShape } from './shape.js';

export type MetricName = 'accuracy' | 'acc';

export interface Model {
  readonly name: string;
  /** Seeds the weight initializers, the shuffling and the dropout masks. */
  readonly seed: number;
  /** The layers that compute, in order (the InputLayer is not one of them, as in tf.keras). */
  readonly layers: Layer[];
  readonly inputLayer: InputLayer | undefined;
  /** Set to true (from a callback, say) to end fit after the current batch. */
  stopTraining: boolean;
  /** Set by compile (or by loading a compiled model); replaced when optimizer state is restored. */
  optimizer: Optimizer | undefined;
  readonly loss: LossName | undefined;
  readonly metrics: MetricName[];
  /** The stream for shuffles and dropout. */
  readonly trainingRng: Rng;
  readonly built: boolean;
  /** Builds every layer for inputs of `inputShape` (one example, no batch axis) if not yet built. */
  build(inputShape?: readonly number[]): void;
  readonly inputShape: SymbolicShape | undefined;
  readonly outputShape: SymbolicShape | undefined;
  /** Builds for `x` if needed and checks its shape. */
  ensureBuiltFor(x: Tensor): void;
  readonly weights: LayerWeight[];
  readonly trainableWeights: LayerWeight[];
  /** The weight values in Keras's `get_weights()` order (layer by layer, kernel before bias). */
  getWeights(): Tensor<'float32'>[];
  /** Copies values into the weights in place (the optimizer's state stays bound to them). */
  setWeights(values: readonly Tensor[]): void;
}
