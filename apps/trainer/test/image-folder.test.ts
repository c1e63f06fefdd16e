// convoy-train --data <image folder>, in-process on the tiny generated Fashion-MNIST written out
// as PNG folders: train/ + test/, a single folder split for validation, a saved model.json
// trained further on a folder, and the clear errors when the model cannot take the data.

import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportImageFolder, loadFashionMnist, take } from '@convoy/data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTrainer, type TrainerIo } from '../src/main.js';
import { writeSyntheticFashionMnist } from './fixtures/synthetic-fashion.js';

let root: string;
let trainTest: string;
let single: string;
let threeClasses: string;
let idx: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'convoy-train-folder-'));
  idx = await writeSyntheticFashionMnist(join(root, 'idx'), { train: 256, test: 64 });
  const data = await loadFashionMnist({ dir: idx });
  const names = { classNames: data.classNames };
  trainTest = join(root, 'train-test');
  await exportImageFolder(data.train.images, data.train.labels, join(trainTest, 'train'), names);
  await exportImageFolder(data.test.images, data.test.labels, join(trainTest, 'test'), names);
  single = join(root, 'single');
  await exportImageFolder(data.train.images, data.train.labels, single, names);
  threeClasses = join(root, 'three');
  await mkdir(threeClasses);
  // The first three test images have labels 0, 1, 2 (the generator cycles through the classes).
  await exportImageFolder(take(data.test.images, 3), take(data.test.labels, 3), threeClasses, {
    classNames: data.classNames.slice(0, 3),
  });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function train(args: string[]) {
  const io = { stdout: '', stderr: '' };
  const trainerIo: TrainerIo = {
    stdout: { isTTY: false, write: (text: string) => (io.stdout += text) },
    stderr: { write: (text: string) => (io.stderr += text) },
  };
  const exitCode = await runTrainer([...args, '--workers', '1'], trainerIo);
  return { exitCode, ...io };
}

describe('convoy-train --data <image folder>', () => {
  it('trains on train/ and tests on test/, each a folder of class subfolders', async () => {
    const out = join(root, 'run-train-test');
    const run = await train(['--model', '3', '--data', trainTest, '--epochs', '4', '--out', out]);
    expect(run.stderr).not.toMatch(/convoy-train:/);
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toContain(
      `the image folder ${trainTest} (train/ and test/, loaded as 28x28 gray): 256 training images, 64 test images, 10 classes.`,
    );
    expect(run.stderr).toMatch(/loading images: 256\/256 \(100%\)/);
    const history = JSON.parse(await readFile(join(out, 'history.json'), 'utf8'));
    const fromIdx = await train([
      '--model',
      '3',
      '--data',
      idx,
      '--epochs',
      '4',
      '--out',
      join(root, 'run-idx'),
    ]);
    expect(fromIdx.exitCode).toBe(0);
    const idxHistory = JSON.parse(await readFile(join(root, 'run-idx', 'history.json'), 'utf8'));
    // The same images in another order: both runs learn the bands equally well (0.80 and 0.80
    // here after four epochs; one test image is 0.016).
    expect(history.val_accuracy.at(-1)).toBeGreaterThan(0.7);
    expect(
      Math.abs(history.val_accuracy.at(-1) - idxHistory.val_accuracy.at(-1)),
    ).toBeLessThanOrEqual(0.1);
  });

  it('holds out --validation-split of a single folder, seeded', async () => {
    const run = await train([
      '--model',
      '3',
      '--data',
      single,
      '--validation-split',
      '0.25',
      '--epochs',
      '1',
      '--out',
      join(root, 'run-single'),
    ]);
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toContain(
      `the image folder ${single} (loaded as 28x28 gray; 25% held out for validation with seed 0): 192 training images, 64 validation images, 10 classes.`,
    );
  });

  it('trains a saved model.json further on a folder, loading at its input shape', async () => {
    const first = join(root, 'run-saved');
    expect(
      (await train(['--model', '3', '--data', trainTest, '--epochs', '1', '--out', first]))
        .exitCode,
    ).toBe(0);
    const again = await train([
      '--model',
      join(first, 'model.json'),
      '--data',
      trainTest,
      '--epochs',
      '1',
      '--out',
      join(root, 'run-again'),
    ]);
    expect(again.stderr).not.toMatch(/convoy-train:/);
    expect(again.exitCode).toBe(0);
  });

  it('says so when the model has another number of classes than the folder', async () => {
    const run = await train([
      '--model',
      '3',
      '--data',
      threeClasses,
      '--validation-split',
      '0.34',
      '--out',
      join(root, 'x'),
    ]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(
      /convoy-train: textbook model 3 has 10 outputs \(its last layer\), but the image folder .*three .* has 3 classes \(0-T-shirt_top, 1-Trouser, 2-Pullover\); use a model whose last Dense layer has one unit per class/,
    );
  });

  it('says so when the images are loaded at another shape than the model takes', async () => {
    const run = await train([
      '--model',
      '3',
      '--data',
      trainTest,
      '--image-size',
      '32x32',
      '--color',
      'rgb',
      '--out',
      join(root, 'y'),
    ]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(
      /convoy-train: textbook model 3 takes inputs of shape \[28, 28, 1\] \(28x28 gray\), but the images from the image folder .* are \[32, 32, 3\] \(32x32 RGB\)/,
    );
  });

  it('names both kinds of --data it understands when a folder is neither', async () => {
    const empty = join(root, 'empty');
    await mkdir(empty);
    const run = await train(['--model', '3', '--data', empty, '--out', join(root, 'z')]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/has no subfolders; expected one subfolder per class/);
  });
});
