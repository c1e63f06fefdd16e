// @convoy/trainer as a library: the whole convoy-train command as a function (runTrainer), its
// flag parser and help text, for embedding it or testing it in-process. The command itself is
// the `convoy-train` bin.

export {
  DEFAULTS,
  EXIT_CODES,
  helpText,
  type ModelSpec,
  type OptimizerName,
  type ParseOutcome,
  parseTrainArgs,
  type TextbookModelId,
  type TrainOptions,
} from './cli.js';
export { runTrainer, type TrainerIo, type TrainerProgress } from './main.js';
