// Property and fuzz tests of convoy-train's command line (fixed seed, bounded runs). Parsing any
// argument list made of its flags and of good, bad and odd values never throws: it gives options
// that hold what the flags promise, or help (exit 0), or a usage error (exit 2) in its own words.
// Then whole runs, in-process on a tiny dataset: flags, --model files edited anywhere, --out
// places that cannot be written, --resume with or without a checkpoint — every run ends 0, 1, 2
// or 130 with convoy-train's own message naming what is wrong, never an internal error.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  applyJsonEdit,
  checkConvoyError,
  fc,
  fuzzParameters,
  jsonEdits,
  reportCount,
} from '@convoy/fuzz';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTrainArgs } from '../../src/cli.js';
import { runTrainer } from '../../src/main.js';
import { writeSyntheticFashionMnist } from '../fixtures/synthetic-fashion.js';

const RUNS = { parse: 2000, run: 80 };
const root = mkdtempSync(join(tmpdir(), 'convoy-fuzz-train-'));
let dataDir: string;
let modelJson: unknown;
afterAll(() => rm(root, { recursive: true, force: true }));

beforeAll(async () => {
  dataDir = await writeSyntheticFashionMnist(join(root, 'data'), { train: 64, test: 32 });
  const quiet = { write: () => true };
  const base = join(root, 'base');
  const code = await runTrainer(
    ['--model', '3', '--epochs', '1', '--data', dataDir, '--out', base, '--workers', '1'],
    { stdout: quiet, stderr: quiet },
  );
  expect(code).toBe(0);
  modelJson = JSON.parse(await readFile(join(base, 'model.json'), 'utf8'));
});

const odd = fc.constantFrom(
  '',
  ' ',
  '0',
  '-1',
  '1.5',
  '1e3',
  'NaN',
  'Infinity',
  '0x10',
  '99999999999999999999',
  'abc',
  '--',
  '%',
  '30s',
  '5m',
  'x28',
  '28x28',
);
const values: Record<string, fc.Arbitrary<string>> = {
  '--model': fc.constantFrom('1', '2', '3', '4', 'model.json', 'net.yaml'),
  '--epochs': fc.constantFrom('1', '2', '5'),
  '--batch-size': fc.constantFrom('1', '16', '32'),
  '--optimizer': fc.constantFrom('adam', 'sgd', 'rmsprop', 'adagrad'),
  '--lr': fc.constantFrom('0.001', '0.5', '1e-9'),
  '--workers': fc.constantFrom('1', '2'),
  '--seed': fc.constantFrom('0', '7'),
  '--data': fc.constantFrom('/nowhere', 'data'),
  '--validation-split': fc.constantFrom('0.2', '0.99'),
  '--image-size': fc.constantFrom('28x28', '8x8', '1x1'),
  '--color': fc.constantFrom('gray', 'rgb', 'cmyk'),
  '--subset': fc.constantFrom('1', '32', '100000'),
  '--out': fc.constantFrom('runs/x'),
  '--checkpoint-every': fc.constantFrom('1', '500', '30s', '1h', '0s'),
  '--target-accuracy': fc.constantFrom('0', '85.3', '85.3%', '101'),
};
const booleans = ['--resume', '--no-stop-on-nan', '--help', '-h', '--frobnicate', 'train'];

const argv = fc
  .array(
    fc.oneof(
      fc.constantFrom(...Object.keys(values)).chain((flag) =>
        fc.oneof(
          fc.tuple(fc.constant(flag), fc.oneof(values[flag]!, odd)),
          fc.tuple(fc.oneof(values[flag]!, odd)).map(([value]) => [`${flag}=${value}`]),
          fc.constant([flag]),
        ),
      ),
      fc.constantFrom(...booleans).map((flag) => [flag]),
    ),
    { maxLength: 6 },
  )
  .map((parts) => parts.flat());

/** Well-formed flags only, so that runs get past parsing to loading, resuming and training. */
const runnable = fc
  .array(
    fc
      .constantFrom(
        '--batch-size',
        '--optimizer',
        '--lr',
        '--seed',
        '--image-size',
        '--color',
        '--checkpoint-every',
        '--target-accuracy',
        '--resume',
        '--no-stop-on-nan',
      )
      .chain((flag) =>
        flag.startsWith('--resume') || flag === '--no-stop-on-nan'
          ? fc.constant<string[]>([flag])
          : values[flag]!.map((value): string[] => [flag, value]),
      ),
    { maxLength: 4 },
  )
  .map((parts) => parts.flat());

describe('convoy-train flags, fuzzed', () => {
  it('parse to options that hold what the flags promise, help, or a usage error in its own words', () => {
    fc.assert(
      fc.property(argv, (args) => {
        const parsed = parseTrainArgs(args);
        if (parsed.kind === 'exit') {
          if (parsed.exitCode === 0) expect(parsed.stdout).toContain('Usage: convoy-train');
          else {
            expect(parsed.exitCode).toBe(2);
            checkConvoyError(new Error(parsed.stderr), { prefixes: ['error: '] });
          }
          return;
        }
        const { options } = parsed;
        for (const count of [options.epochs, options.batchSize, options.workers])
          expect(Number.isSafeInteger(count) && count >= 1).toBe(true);
        expect(Number.isSafeInteger(options.seed) && options.seed >= 0).toBe(true);
        if (options.learningRate !== undefined) expect(options.learningRate).toBeGreaterThan(0);
        if (options.checkpointEvery)
          expect(Object.values(options.checkpointEvery)[0]).toBeGreaterThan(0);
        if (options.targetAccuracy !== undefined)
          expect(options.targetAccuracy >= 0 && options.targetAccuracy <= 100).toBe(true);
      }),
      fuzzParameters(RUNS.parse),
    );
    reportCount('convoy-train argument lists (parsing)', RUNS.parse);
  });

  it('runs end 0, 1, 2 or 130 with its own message, whatever the flags and files', async () => {
    const file = join(root, 'a-file');
    writeFileSync(file, 'not a directory');
    let n = 0;
    const endings = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(argv, runnable, runnable),
        fc.option(jsonEdits(modelJson, [0, -1, 1e9, 'Conv3D', [null, 28, 28, 3], 'float64']), {
          freq: 2,
        }),
        fc.constantFrom('fresh', 'file', 'under-file'),
        async (args, edit, outKind) => {
          const run = join(root, `run-${n++}`);
          const out = outKind === 'fresh' ? run : outKind === 'file' ? file : join(file, 'run');
          const modelFile = join(root, `model-${n}.json`);
          if (edit) writeFileSync(modelFile, JSON.stringify(applyJsonEdit(modelJson, edit)) ?? '');
          const fixed = ['--data', dataDir, '--subset', '32', '--epochs', '1', '--workers', '1'];
          const modelArgs = edit ? ['--model', modelFile] : [];
          const all = [
            ...args.map((a) => (a === 'data' ? dataDir : a)),
            ...fixed,
            ...modelArgs,
            '--out',
            out,
          ];
          let stderr = '';
          const code = await runTrainer(all, {
            stdout: { isTTY: false, write: () => true },
            stderr: { write: (text: string) => (stderr += text) },
          });
          expect([0, 1, 2]).toContain(code);
          endings.set(code, (endings.get(code) ?? 0) + 1);
          if (code === 1) {
            const message = stderr.slice(stderr.indexOf('convoy-train: '));
            if (!/Test accuracy .* is below the target/.test(stderr))
              checkConvoyError(new Error(message), { prefixes: ['convoy-train: '] });
          }
          if (code === 2) checkConvoyError(new Error(stderr), { prefixes: ['error: '] });
        },
      ),
      fuzzParameters(RUNS.run),
    );
    reportCount('convoy-train runs (flags, model files, --out)', RUNS.run);
    console.log(
      `fuzz: convoy-train runs by exit code: ${JSON.stringify(Object.fromEntries(endings))}`,
    );
    // Some runs must get as far as training, or the property says little about runs.
    expect(endings.get(0) ?? 0).toBeGreaterThan(0);
  }, 600_000);
});
