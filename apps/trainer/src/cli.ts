// Command-line flags of convoy-train, parsed and validated with commander into a typed
// TrainOptions. Parsing never exits the process: it returns options, or the text to print and
// the exit code (0 for --help, 2 for a usage error), so it can be tested and embedded.

import { availableParallelism } from 'node:os';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';

export type TextbookModelId = 1 | 2 | 3;
export type OptimizerName = 'adam' | 'sgd' | 'rmsprop';

/** Which network to train: one of the textbook's three, or a model file. */
export type ModelSpec = { kind: 'textbook'; id: TextbookModelId } | { kind: 'file'; path: string };

export interface TrainOptions {
  model: ModelSpec;
  epochs: number;
  batchSize: number;
  optimizer: OptimizerName;
  /** Undefined means the optimizer's Keras default (Adam 0.001, SGD 0.01, RMSprop 0.001). */
  learningRate: number | undefined;
  workers: number;
  seed: number;
  /** Undefined means the data loader's search order (env, cache, Debian package, download). */
  dataDir: string | undefined;
  /** Train on only the first `subset` training images. */
  subset: number | undefined;
  outDir: string;
  resume: boolean;
  /** Test accuracy in percent below which the run exits with code 1. */
  targetAccuracy: number | undefined;
}

export type ParseOutcome =
  | { kind: 'options'; options: TrainOptions }
  | { kind: 'exit'; exitCode: number; stdout: string; stderr: string };

/** Exit codes: 0 success, 1 below --target-accuracy or a failed run, 2 bad flags, 130 interrupted. */
export const EXIT_CODES = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;

export const DEFAULTS = {
  model: '1',
  epochs: 5,
  batchSize: 32,
  optimizer: 'adam',
  seed: 0,
} as const;

function positiveInteger(flag: string) {
  return (value: string): number => {
    if (!/^\d+$/.test(value.trim()) || Number(value) < 1)
      throw new InvalidArgumentError(`Expected a positive integer for ${flag}.`);
    return Number(value);
  };
}

function nonNegativeInteger(flag: string) {
  return (value: string): number => {
    if (!/^\d+$/.test(value.trim()))
      throw new InvalidArgumentError(`Expected a non-negative integer for ${flag}.`);
    return Number(value);
  };
}

function parseLearningRate(value: string): number {
  const rate = Number(value);
  if (value.trim() === '' || !Number.isFinite(rate) || rate <= 0)
    throw new InvalidArgumentError('Expected a positive number such as 0.001.');
  return rate;
}

function parseTargetAccuracy(value: string): number {
  const percent = Number(value.trim().replace(/%$/, ''));
  if (value.trim() === '' || !Number.isFinite(percent) || percent < 0 || percent > 100)
    throw new InvalidArgumentError('Expected a percentage between 0 and 100 such as 85.3.');
  return percent;
}

export function parseModelSpec(value: string): ModelSpec {
  const trimmed = value.trim();
  if (trimmed === '1' || trimmed === '2' || trimmed === '3')
    return { kind: 'textbook', id: Number(trimmed) as TextbookModelId };
  if (trimmed.toLowerCase().endsWith('.json')) return { kind: 'file', path: trimmed };
  throw new InvalidArgumentError(
    `Expected 1, 2 or 3 (the textbook's models) or a path to a .json model file, got "${value}".`,
  );
}

function buildCommand(): Command {
  return new Command('convoy-train')
    .description(
      "Train the textbook's CNNs (or your own model) on Fashion-MNIST with Keras-style output.",
    )
    .addOption(
      new Option('--model <1|2|3|model.json>', 'textbook model 1, 2 or 3, or a model.json file')
        .default(DEFAULTS.model)
        .argParser(parseModelSpec),
    )
    .addOption(
      new Option('--epochs <n>', 'number of epochs')
        .default(DEFAULTS.epochs)
        .argParser(positiveInteger('--epochs')),
    )
    .addOption(
      new Option('--batch-size <n>', 'images per training step')
        .default(DEFAULTS.batchSize)
        .argParser(positiveInteger('--batch-size')),
    )
    .addOption(
      new Option('--optimizer <name>', 'optimizer')
        .choices(['adam', 'sgd', 'rmsprop'])
        .default(DEFAULTS.optimizer),
    )
    .addOption(
      new Option('--lr <rate>', "learning rate (default: the optimizer's Keras default)").argParser(
        parseLearningRate,
      ),
    )
    .addOption(
      new Option('--workers <n>', 'worker threads for the convolutions (1 = this thread only)')
        .default(availableParallelism(), 'all cores')
        .argParser(positiveInteger('--workers')),
    )
    .addOption(
      new Option('--seed <n>', 'seed for weights and shuffling')
        .default(DEFAULTS.seed)
        .argParser(nonNegativeInteger('--seed')),
    )
    .addOption(
      new Option(
        '--data <dir>',
        'directory with the four Fashion-MNIST .gz files (default: search env, cache, /usr/share/datasets/fashion-mnist, then download)',
      ),
    )
    .addOption(
      new Option('--subset <n>', 'train on only the first n training images').argParser(
        positiveInteger('--subset'),
      ),
    )
    .addOption(
      new Option('--out <dir>', 'output directory (default: runs/model-<n> or runs/<file name>)'),
    )
    .addOption(new Option('--resume', 'continue from <out>/checkpoint').default(false))
    .addOption(
      new Option(
        '--target-accuracy <pct>',
        'exit with code 1 when the final test accuracy is below this percentage',
      ).argParser(parseTargetAccuracy),
    )
    .helpOption('-h, --help', 'show this help')
    .allowExcessArguments(false)
    .showHelpAfterError('(run convoy-train --help for the list of flags)');
}

interface RawOptions {
  model: ModelSpec | string;
  epochs: number;
  batchSize: number;
  optimizer: OptimizerName;
  lr?: number;
  workers: number;
  seed: number;
  data?: string;
  subset?: number;
  out?: string;
  resume: boolean;
  targetAccuracy?: number;
}

export function defaultOutDir(model: ModelSpec): string {
  if (model.kind === 'textbook') return `runs/model-${model.id}`;
  const fileName = model.path.split(/[\\/]/).pop() ?? 'model.json';
  const stem = fileName.replace(/\.json$/i, '');
  return `runs/${stem === 'model' ? 'custom' : stem}`;
}

/** Parses the arguments after `convoy-train` (that is, process.argv.slice(2)). */
export function parseTrainArgs(args: readonly string[]): ParseOutcome {
  let stdout = '';
  let stderr = '';
  const command = buildCommand()
    .exitOverride()
    .configureOutput({
      writeOut: (text) => {
        stdout += text;
      },
      writeErr: (text) => {
        stderr += text;
      },
    });
  try {
    command.parse([...args], { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    const isHelp = error.code === 'commander.helpDisplayed' || error.code === 'commander.help';
    return { kind: 'exit', exitCode: isHelp ? EXIT_CODES.ok : EXIT_CODES.usage, stdout, stderr };
  }
  const raw = command.opts<RawOptions>();
  // commander does not run argParser on defaults, so the default model is still a string.
  const model = typeof raw.model === 'string' ? parseModelSpec(raw.model) : raw.model;
  return {
    kind: 'options',
    options: {
      model,
      epochs: raw.epochs,
      batchSize: raw.batchSize,
      optimizer: raw.optimizer,
      learningRate: raw.lr,
      workers: raw.workers,
      seed: raw.seed,
      dataDir: raw.data,
      subset: raw.subset,
      outDir: raw.out ?? defaultOutDir(model),
      resume: raw.resume,
      targetAccuracy: raw.targetAccuracy,
    },
  };
}

/** The full --help text (for the README and tests). */
export function helpText(): string {
  return buildCommand().helpInformation();
}
