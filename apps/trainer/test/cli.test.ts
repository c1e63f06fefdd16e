// Flag parsing: defaults, every flag, and clear errors with exit code 2 for bad input.

import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { EXIT_CODES, helpText, parseTrainArgs, type TrainOptions } from '../src/cli.js';

function options(args: string[]): TrainOptions {
  const outcome = parseTrainArgs(args);
  if (outcome.kind !== 'options') throw new Error(`expected options, got exit: ${outcome.stderr}`);
  return outcome.options;
}

function failure(args: string[]): { exitCode: number; stderr: string } {
  const outcome = parseTrainArgs(args);
  if (outcome.kind !== 'exit') throw new Error(`expected a usage error for ${args.join(' ')}`);
  return outcome;
}

describe('parseTrainArgs', () => {
  it("defaults to the textbook's settings: model 1, 5 epochs, batch 32, Adam, all cores", () => {
    expect(options([])).toEqual({
      model: { kind: 'textbook', id: 1 },
      epochs: 5,
      batchSize: 32,
      optimizer: 'adam',
      learningRate: undefined,
      workers: availableParallelism(),
      seed: 0,
      dataDir: undefined,
      validationSplit: 0.2,
      imageSize: undefined,
      color: undefined,
      subset: undefined,
      outDir: 'runs/model-1',
      resume: false,
      checkpointEvery: undefined,
      stopOnNan: true,
      targetAccuracy: undefined,
    });
  });

  it('reads every flag', () => {
    expect(
      options([
        '--model',
        '3',
        '--epochs',
        '2',
        '--batch-size',
        '64',
        '--optimizer',
        'rmsprop',
        '--lr',
        '0.002',
        '--workers',
        '1',
        '--seed',
        '7',
        '--data',
        '/tmp/fashion',
        '--validation-split',
        '0.1',
        '--image-size',
        '32x24',
        '--color',
        'rgb',
        '--subset',
        '1000',
        '--out',
        '/tmp/run',
        '--resume',
        '--checkpoint-every',
        '30s',
        '--no-stop-on-nan',
        '--target-accuracy',
        '85.3',
      ]),
    ).toEqual({
      model: { kind: 'textbook', id: 3 },
      epochs: 2,
      batchSize: 64,
      optimizer: 'rmsprop',
      learningRate: 0.002,
      workers: 1,
      seed: 7,
      dataDir: '/tmp/fashion',
      validationSplit: 0.1,
      imageSize: [32, 24],
      color: 'rgb',
      subset: 1000,
      outDir: '/tmp/run',
      resume: true,
      checkpointEvery: { seconds: 30 },
      stopOnNan: false,
      targetAccuracy: 85.3,
    });
  });

  it('reads --checkpoint-every as steps or a time, and refuses anything else', () => {
    const every = (value: string) => {
      const parsed = parseTrainArgs(['--checkpoint-every', value]);
      return parsed.kind === 'options' ? parsed.options.checkpointEvery : parsed.stderr;
    };
    expect(every('500')).toEqual({ steps: 500 });
    expect(every('30s')).toEqual({ seconds: 30 });
    expect(every('1.5m')).toEqual({ seconds: 90 });
    expect(every('2h')).toEqual({ seconds: 7200 });
    for (const bad of ['0', '2.5', '-3', '10x', 's', ''])
      expect(every(bad), bad).toContain(
        'Expected a whole number of steps such as 500, or a time such as 30s, 10m or 1h.',
      );
  });

  it('accepts --flag=value, a model file, and a percent sign on the target', () => {
    const parsed = options(['--model=nets/tiny.json', '--target-accuracy=92%']);
    expect(parsed.model).toEqual({ kind: 'file', path: 'nets/tiny.json' });
    expect(parsed.outDir).toBe('runs/tiny');
    expect(parsed.targetAccuracy).toBe(92);
    expect(options(['--model', '2']).outDir).toBe('runs/model-2');
  });

  it.each([
    [['--model', '4'], /--model .*argument '4' is invalid.*Expected 1, 2 or 3/],
    [['--model', 'net.yaml'], /Expected 1, 2 or 3 .* or a path to a \.json model file/],
    [['--epochs', '0'], /--epochs .*Expected a positive integer for --epochs/],
    [['--epochs', '2.5'], /Expected a positive integer for --epochs/],
    [['--batch-size', 'many'], /Expected a positive integer for --batch-size/],
    [['--workers', '-1'], /--workers/],
    [['--seed', 'x'], /Expected a non-negative integer for --seed/],
    [['--lr', '0'], /Expected a positive number/],
    [['--lr', 'fast'], /Expected a positive number/],
    [['--optimizer', 'adagrad'], /Allowed choices are adam, sgd, rmsprop/],
    [['--target-accuracy', '120'], /Expected a percentage between 0 and 100/],
    [['--subset', '0'], /Expected a positive integer for --subset/],
    [['--validation-split', '1'], /Expected a fraction between 0 and 1/],
    [['--image-size', '28'], /Expected <height>x<width> in pixels such as 28x28/],
    [['--color', 'cmyk'], /Allowed choices are gray, rgb/],
    [['--epochs'], /argument missing/],
    [['--frobnicate'], /unknown option '--frobnicate'/],
    [['train'], /too many arguments/],
  ])('rejects %j with exit code 2 and a clear message', (args, message) => {
    const { exitCode, stderr } = failure(args);
    expect(exitCode).toBe(EXIT_CODES.usage);
    expect(stderr).toMatch(message);
    expect(stderr).toContain('convoy-train --help');
  });

  it('prints help on --help and -h with exit code 0', () => {
    for (const flag of ['--help', '-h']) {
      const outcome = parseTrainArgs([flag]);
      expect(outcome).toMatchObject({ kind: 'exit', exitCode: 0, stderr: '' });
      if (outcome.kind === 'exit') expect(outcome.stdout).toBe(helpText());
    }
    for (const flag of [
      '--model',
      '--epochs',
      '--batch-size',
      '--optimizer',
      '--lr',
      '--workers',
      '--seed',
      '--data',
      '--validation-split',
      '--image-size',
      '--color',
      '--subset',
      '--out',
      '--resume',
      '--target-accuracy',
    ]) {
      expect(helpText()).toContain(flag);
    }
  });
});
