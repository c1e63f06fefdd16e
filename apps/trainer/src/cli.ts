// Command-line flags of convoy-train, parsed and validated with commander into a typed
// TrainOptions. Parsing never exits the process: it returns options, or the text to print and
// the exit code (0 for --help, 2 for a usage error), so it can be tested and embedded.

import { availableParallelism } from 'node:os';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { type CheckpointEvery, parseCheckpointEvery } from './checkpoint-every.js';

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
  /**
   * Fashion-MNIST's four IDX files or an image folder of one's own. Undefined means the data
   * loader's search order for Fashion-MNIST (env, cache, Debian package, download).
   */
  dataDir: string | undefined;
  /** Fraction of a single image folder held out for validation (the test metrics). */
  validationSplit: number;
  /** Size to load an image folder at; undefined means the model's input size. */
  imageSize: [number, number] | undefined;
  /** Colour to load an image folder in; undefined means the model's input channels. */
  color: 'gray' | 'rgb' | undefined;
  /** Train on only the first `subset` training images. */
  subset: number | undefined;
  outDir: string;
  resume: boolean;
  /** Checkpoints between epochs' ends, every so many steps or seconds (undefined: none). */
  checkpointEvery: CheckpointEvery | undefined;
  /** Stop at the first non-finite step (default); false skips such steps and goes on. */
  stopOnNan: boolean;
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
  validationSplit: 0.2,
} as const;

function positiveInteger(flag: string) {
  return (value: string): number => {
    if (!/^\d+$/.test(value.trim()) || Number(value) < 1 || !Number.isSafeInteger(Number(value)))
      throw new InvalidArgumentError(`Expected a positive integer for ${flag}.`);
    return Number(value);
  };
}

function nonNegativeInteger(flag: string) {
  return (value: string): number => {
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(Number(value)))
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

function parseValidationSplit(value: string): number {
  const fraction = Number(value);
  if (value.trim() === '' || !(fraction > 0 && fraction < 1))
    throw new InvalidArgumentError('Expected a fraction between 0 and 1 such as 0.2.');
  return fraction;
}

function parseImageSize(value: string): [number, number] {
  const match = /^\s*(\d+)\s*x\s*(\d+)\s*$/i.exec(value);
  const size = match ? ([Number(match[1]), Number(match[2])] as [number, number]) : undefined;
  if (!size || size.some((side) => side < 1))
    throw new InvalidArgumentError('Expected <height>x<width> in pixels such as 28x28.');
  return size;
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
      new Option(
        '--workers <n>',
        'data-parallel training replicas, one per thread (1 = this thread only)',
      )
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
        'the four Fashion-MNIST .gz files, or an image folder: one subfolder per class of PNG/JPEG files, or train/ and test/ each holding such subfolders (default: search env, cache, /usr/share/datasets/fashion-mnist, then download Fashion-MNIST)',
      ),
    )
    .addOption(
      new Option(
        '--validation-split <fraction>',
        'part of a single image folder held out to test on (seeded by --seed)',
      )
        .default(DEFAULTS.validationSplit)
        .argParser(parseValidationSplit),
    )
    .addOption(
      new Option(
        '--image-size <HxW>',
        "size to load an image folder at (default: the model's input size)",
      ).argParser(parseImageSize),
    )
    .addOption(
      new Option(
        '--color <mode>',
        "load an image folder gray or rgb (default: the model's input)",
      ).choices(['gray', 'rgb']),
    )
    .addOption(
      new Option('--subset <n>', 'train on only the first n training images').argParser(
        positiveInteger('--subset'),
      ),
    )
    .addOption(
      new Option('--out <dir>', 'output directory (default: runs/model-<n> or runs/<file name>)'),
    )
    .addOption(new Option('--resume', 'continue from <out>/checkpoint.ckpt').default(false))
    .addOption(
      new Option(
        '--checkpoint-every <n|time>',
        "also checkpoint every n steps (500) or every so long (30s, 10m), besides each epoch's end and Ctrl-C",
      ).argParser(parseCheckpointEvery),
    )
    .addOption(
      new Option(
        '--no-stop-on-nan',
        'skip steps whose loss is not finite and go on (default: stop at the first, naming the layer)',
      ),
    )
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
  validationSplit: number;
  imageSize?: [number, number];
  color?: 'gray' | 'rgb';
  subset?: number;
  out?: string;
  resume: boolean;
  checkpointEvery?: CheckpointEvery;
  stopOnNan: boolean;
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
      validationSplit: raw.validationSplit,
      imageSize: raw.imageSize,
      color: raw.color,
      subset: raw.subset,
      outDir: raw.out ?? defaultOutDir(model),
      resume: raw.resume,
      checkpointEvery: raw.checkpointEvery,
      stopOnNan: raw.stopOnNan,
      targetAccuracy: raw.targetAccuracy,
    },
  };
}

/** What the data loader needs to load an image folder for this run's model. */
export function folderOptions(options: TrainOptions) {
  return {
    model: options.model,
    validationSplit: options.validationSplit,
    seed: options.seed,
    ...(options.imageSize ? { imageSize: options.imageSize } : {}),
    ...(options.color ? { color: options.color } : {}),
  };
}

/** The full --help text (for the README and tests). */
export function helpText(): string {
  return buildCommand().helpInformation();
}
