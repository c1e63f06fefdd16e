// @convoy/optim: Keras-2-exact optimizers (SGD with momentum/Nesterov, Adam, RMSprop) that update
// float32 parameters in place, learning-rate schedules, and checkpointable state.

export { type AdamOptions, adam } from './adam.js';
export { createOptimizer, type OptimizerIdentifier, type OptimizerName } from './create.js';
export { type BaseOptions, makeOptimizer, type UpdateRule } from './optimizer.js';
export { type RmspropOptions, rmsprop } from './rmsprop.js';
export {
  deserializeSchedule,
  exponentialDecay,
  inverseTimeDecay,
  type LearningRate,
  type LearningRateSchedule,
  piecewiseConstantDecay,
  type SerializedSchedule,
} from './schedules.js';
export { type SgdOptions, sgd } from './sgd.js';
export { type OptimizerStateJson, stateFromJson, stateToJson } from './state-json.js';
export type {
  Optimizer,
  OptimizerConfig,
  OptimizerState,
  ParamGradPair,
  StepInParts,
} from './types.js';
