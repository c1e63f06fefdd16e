// End to end through bin/convoy-train.js (the launcher runs the TypeScript source with tsx) on a
// tiny generated Fashion-MNIST: the Keras transcript, every output file, the exit codes, and
// Ctrl-C leaving a checkpoint that --resume continues.

import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadFashionMnist, toImageTensor, toLabelTensor } from '@convoy/data';
import { loadModel } from '@convoy/layers';
import { decodePng } from '@convoy/vision';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCheckpoint } from '../src/checkpoint.js';
import { runCli } from './fixtures/run-cli.js';
import { writeSyntheticFashionMnist } from './fixtures/synthetic-fashion.js';

let root: string;
let dataDir: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'convoy-train-e2e-'));
  dataDir = await writeSyntheticFashionMnist(join(root, 'data'), { train: 256, test: 64 });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const PROGRESS_LINE =
  /^8\/8 \[={30}\] - \d+s \d+(s|ms|us)\/step - loss: \d+\.\d{4} - accuracy: \d\.\d{4}$/;
const EVALUATE_LINE =
  /^2\/2 \[={30}\] - \d+s \d+(s|ms|us)\/step - loss: \d+\.\d{4} - accuracy: (\d\.\d{4})$/;

describe('convoy-train end to end', () => {
  it('trains, prints the Keras transcript, writes every output and meets a reachable target', async () => {
    const out = join(root, 'run-model-2');
    const result = await runCli([
      '--model',
      '2',
      '--epochs',
      '1',
      '--data',
      dataDir,
      '--out',
      out,
      '--workers',
      '1',
      '--target-accuracy',
      '90',
    ]);
    expect(result.stderr).toContain('meets the target 90%');
    expect(result.exitCode).toBe(0);

    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('Model: "sequential"');
    expect(result.stdout).toContain('Total params: 63,050');
    const epochAt = lines.indexOf('Epoch 1/1');
    expect(epochAt).toBeGreaterThan(0);
    expect(lines[epochAt + 1]).toMatch(PROGRESS_LINE);
    expect(lines[epochAt + 2]).toMatch(EVALUATE_LINE);
    expect(lines).toHaveLength(epochAt + 3);
    const printedAccuracy = Number(EVALUATE_LINE.exec(lines[epochAt + 2]!)![2]);

    expect((await readdir(out)).sort()).toEqual([
      'checkpoint.ckpt',
      'group1-shard1of1.bin',
      'history.csv',
      'history.json',
      'model.json',
      'training-curves.png',
      'training-curves.svg',
    ]);
    const history = JSON.parse(await readFile(join(out, 'history.json'), 'utf8'));
    expect(history.epoch).toEqual([1]);
    expect(history.val_accuracy[0]).toBeCloseTo(printedAccuracy, 4);
    const csv = (await readFile(join(out, 'history.csv'), 'utf8')).trimEnd().split('\n');
    expect(csv[0]).toBe('epoch,loss,accuracy,val_loss,val_accuracy,seconds');
    expect(csv).toHaveLength(2);
    expect(csv[1]!.split(',').map(Number)[4]).toBe(history.val_accuracy[0]);
    const picture = decodePng(await readFile(join(out, 'training-curves.png')));
    expect([picture.width, picture.height]).toEqual([1200, 480]);

    // The saved model is the trained one: evaluating it again gives the printed test accuracy.
    const model = await loadModel(out);
    const data = await loadFashionMnist({ dir: dataDir });
    model.compile({
      optimizer: 'adam',
      loss: 'sparse_categorical_crossentropy',
      metrics: ['accuracy'],
    });
    const again = await model.evaluate(
      toImageTensor(data.test.images),
      toLabelTensor(data.test.labels),
    );
    expect(again.accuracy).toBeCloseTo(history.val_accuracy[0], 6);
  }, 180_000);

  it('exits 1 when the test accuracy is below --target-accuracy', async () => {
    const result = await runCli([
      '--model',
      '3',
      '--epochs',
      '1',
      '--data',
      dataDir,
      '--out',
      join(root, 'run-model-3'),
      '--workers',
      '1',
      '--target-accuracy',
      '99.9',
    ]);
    expect(result.stderr).toMatch(
      /Test accuracy \d+\.\d\d% is below the target 99\.9%: exit code 1/,
    );
    expect(result.exitCode).toBe(1);
  }, 180_000);

  it('exits 2 on a bad flag and 1 when --data lacks the files, with clear messages', async () => {
    const bad = await runCli(['--epochs', 'zero']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain("option '--epochs <n>' argument 'zero' is invalid");
    const missing = await runCli(['--data', join(root, 'nowhere'), '--out', join(root, 'x')]);
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toContain(`--data ${join(root, 'nowhere')}: no such directory`);
  }, 120_000);

  it('saves a checkpoint on Ctrl-C (exit 130) and --resume continues from it', async () => {
    const out = join(root, 'run-interrupted');
    const common = ['--model', '3', '--data', dataDir, '--out', out, '--workers', '1'];
    let signalled = false;
    const interrupted = await runCli([...common, '--epochs', '1000'], {
      onStdout: (stdout, child) => {
        if (!signalled && stdout.includes('Epoch 2/1000')) {
          signalled = true;
          child.kill('SIGINT');
        }
      },
    });
    expect(interrupted.stderr).toContain('Checkpoint saved to');
    expect(interrupted.exitCode).toBe(130);
    const { state } = await loadCheckpoint(out, { seed: 0 });
    expect(state.epoch).toBeGreaterThanOrEqual(2);
    expect(state.epoch).toBeLessThan(1000);
    expect(state.records).toHaveLength(state.epoch - 1);

    // --epochs is not a setting that changes the run: it can grow or shrink on --resume.
    const next = state.epoch;
    const resumed = await runCli([...common, '--epochs', String(next), '--resume']);
    expect(resumed.exitCode).toBe(0);
    expect(resumed.stderr).toContain(
      `Resuming from ${join(out, 'checkpoint.ckpt')}: epoch ${next}`,
    );
    expect(resumed.stdout).toContain(`Epoch ${next}/${next}`);
    expect(resumed.stdout).not.toContain(`Epoch 1/${next}\n`);
    const history = JSON.parse(await readFile(join(out, 'history.json'), 'utf8'));
    expect(history.epoch).toEqual(Array.from({ length: next }, (_, index) => index + 1));
  }, 240_000);
});
