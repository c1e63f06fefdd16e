// @convoy/layers: Keras-style layers and the Sequential model — summary, compile, fit, evaluate,
// predict, and save/load in the TensorFlow.js LayersModel format.

export { ACTIVATIONS, type ActivationName } from './activations.js';
export {
  checkManifest,
  type ModelArtifacts,
  type ModelJson,
  type OptimizerJson,
  type TrainingConfig,
  toArtifacts,
  WEIGHTS_FILE,
  type WeightSpec,
  type WeightsManifestGroup,
} from './artifacts.js';
export type {
  BatchLogs,
  Callback,
  CallbackResult,
  EpochLogs,
  FitRun,
  FitTiming,
  History,
  NonFiniteAction,
  TrainBeginLogs,
} from './callbacks.js';
export {
  BACKUP_FILE,
  BackupAndRestore,
  type BackupAndRestoreOptions,
  backupAndRestore,
  type CheckpointStore,
  directoryStore,
} from './checkpoint/backup-and-restore.js';
export {
  readFileIfPresent,
  removeStaleTemporaries,
  writeFileDurably,
} from './checkpoint/file.js';
export {
  CHECKPOINT_MAGIC,
  CHECKPOINT_VERSION,
  type DecodedCheckpoint,
  decodeCheckpoint,
  encodeCheckpoint,
} from './checkpoint/format.js';
export type { EvaluateOptions, PredictOptions } from './evaluation.js';
export { computeGradients, type GradientResult } from './gradients.js';
export {
  type BackwardOptions,
  type BackwardResult,
  Layer,
  type LayerArgs,
  type LayerWeight,
  type RunContext,
} from './layer.js';
export { type LayerOutput, type LayerOutputsOptions, layerOutputs } from './layer-outputs.js';
export {
  BatchNormalization,
  type BatchNormalizationArgs,
  batchNormalization,
} from './layers/batch-normalization.js';
export { Conv2D, type Conv2dArgs, conv2d } from './layers/conv2d.js';
export { Dense, type DenseArgs, dense } from './layers/dense.js';
export { Dropout, type DropoutArgs, dropout } from './layers/dropout.js';
export { Flatten, flatten } from './layers/flatten.js';
export { GlobalAveragePooling2D, globalAveragePooling2d } from './layers/global-pooling.js';
export { type InputArgs, InputLayer, input } from './layers/input.js';
export {
  AveragePooling2D,
  avgPooling2d,
  MaxPooling2D,
  maxPooling2d,
  type Pooling2dArgs,
} from './layers/pooling.js';
export { fromArtifacts, type LoadModelOptions, loadModel } from './load.js';
export { LOSSES, type LossName } from './losses.js';
export type { MetricName, Model } from './model.js';
export { type NonFiniteReport, nonFiniteWeights } from './non-finite.js';
export { type SaveOptions, saveModel } from './save.js';
export {
  type CompileOptions,
  Sequential,
  type SequentialOptions,
  sequential,
} from './sequential.js';
export { formatKerasShape, type SymbolicShape } from './shape.js';
export { formatThousands, type SummaryOptions } from './summary.js';
export { TerminateOnNaN, terminateOnNaN } from './terminate-on-nan.js';
export {
  TEXTBOOK_FIT,
  type TextbookModelNumber,
  type TextbookModelOptions,
  textbookModel,
} from './textbook.js';
export { KERAS_VERSION, type ModelTopology, modelTopology } from './topology.js';
export type { FitOptions } from './training.js';
export {
  type FitSettings,
  settingsDifference,
  snapshotFromJson,
  snapshotToJson,
  type TrainingPosition,
  type TrainingSnapshot,
} from './training-state.js';
