// The shapes every optimizer shares: what step() takes, what getConfig()/getState() give back.

import type { Tensor } from '@convoy/tensor';
import type { LearningRate, SerializedSchedule } from './schedules.js';

/** One trainable parameter and the gradient of the loss with respect to it (same shape). */
export interface ParamGradPair {
  param: Tensor<'float32'>;
  grad: Tensor<'float32'>;
}

/** Keras-named hyperparameters, as `optimizer.get_config()` returns them in tf.keras 2. */
export interface OptimizerConfig {
  name: string;
  learning_rate: number | SerializedSchedule;
  decay: number;
  [hyperparameter: string]: number | boolean | string | SerializedSchedule;
}

/**
 * Everything an optimizer remembers between steps, in plain values: `slots[slotName][i]` belongs
 * to the i-th parameter in the order the parameters were first passed to `step`.
 */
export interface OptimizerState {
  iterations: number;
  slots: Record<string, Float32Array[]>;
}

export interface Optimizer {
  /** Keras class name: 'SGD', 'Adam' or 'RMSprop'. */
  readonly name: string;
  /** How many steps have been applied (Keras `optimizer.iterations`). */
  readonly iterations: number;
  /** The learning rate (or schedule) given at construction. */
  readonly learningRate: LearningRate;
  /** Updates every `param` in place from its `grad`, then counts one iteration. */
  step(pairs: readonly ParamGradPair[]): void;
  /**
   * The same step taken one parameter at a time, so a trainer can update a layer's weights as
   * soon as its gradients exist (while earlier layers' gradients are still being computed on
   * other threads). `params` are all the step's parameters, in the order `step` would get them;
   * the result is exactly `step` with the same pairs.
   */
  beginStep(params: readonly Tensor<'float32'>[]): StepInParts;
  /** The learning rate the next step will use (schedule and `decay` applied). */
  currentLearningRate(): number;
  getConfig(): OptimizerConfig;
  getState(): OptimizerState;
  /** Restores a state from `getState()`; slots bind to parameters in first-seen order. */
  setState(state: OptimizerState): void;
  /** The names of the per-parameter slots, in the order `bindSlots` returns them. */
  readonly slotNames: readonly string[];
  /**
   * The slots of `params`, bound as `step` would bind them (zeros for a parameter seen first),
   * per parameter in `slotNames` order: the optimizer's own arrays, so a data-parallel trainer
   * can update them with `updateSlice` while this optimizer keeps seeing them (getState, save).
   * With `shared: true` they are first moved onto SharedArrayBuffers, for worker threads.
   */
  bindSlots(params: readonly Tensor<'float32'>[], options?: { shared?: boolean }): Float32Array[][];
  /**
   * The update of step `iterations + 1` (learning rate as after `iterations` steps) applied to a
   * slice: `param`, `grad` and each of `slots` are same-length views of one parameter, its
   * gradient and its slots. Counts nothing and keeps no state: a data-parallel worker holding an
   * optimizer made from `getConfig()` updates its range of the parameters with it, and the
   * trainer then calls `countSteps`. Every rule is elementwise, so slices updated separately give
   * the numbers of one whole update.
   */
  updateSlice(
    param: Float32Array,
    grad: Float32Array,
    slots: readonly Float32Array[],
    iterations: number,
  ): void;
  /** Counts `steps` updates applied through `updateSlice` (the schedule moves on with them). */
  countSteps(steps: number): void;
}

/** One optimizer step in parts: from `Optimizer.beginStep`. */
export interface StepInParts {
  /** Updates the parameter at `position` (in the list given to beginStep) in place from `grad`. */
  update(position: number, grad: Tensor<'float32'>): void;
  /** Ends the step and counts the iteration; every parameter must have been updated once. */
  end(): void;
}
