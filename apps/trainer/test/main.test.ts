// runTrainer in-process on a tiny generated Fashion-MNIST: interrupt and resume, terminal
// redraws, resuming a finished run, training further from a saved model.json, and errors.

import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCheckpoint } from '../src/checkpoint.js';
import { runTrainer, type TrainerIo } from '../src/main.js';
import { writeSyntheticFashionMnist } from './fixtures/synthetic-fashion.js';

let root: string;
let dataDir: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'convoy-train-main-'));
  dataDir = await writeSyntheticFashionMnist(join(root, 'data'), { train: 256, test: 64 });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function capture(options: { isTTY?: boolean; onWrite?: (all: string) => void } = {}) {
  const io = { stdout: '', stderr: '' };
  const trainerIo: TrainerIo = {
    stdout: {
      isTTY: options.isTTY ?? false,
      write: (text: string) => {
        io.stdout += text;
        options.onWrite?.(io.stdout);
      },
    },
    stderr: { write: (text: string) => (io.stderr += text) },
  };
  return { io, trainerIo };
}

const readJson = async (path: string) => JSON.parse(await readFile(path, 'utf8'));

describe('runTrainer', () => {
  it('stops on interrupt with a checkpoint (exit 130) and --resume finishes the run', async () => {
    const out = join(root, 'interrupted');
    const common = [
      '--model',
      '3',
      '--data',
      dataDir,
      '--out',
      out,
      '--workers',
      '1',
      '--epochs',
      '3',
    ];
    const interrupt = new AbortController();
    const first = capture({
      onWrite: (stdout) => {
        if (stdout.includes('Epoch 2/3') && !interrupt.signal.aborted) interrupt.abort('SIGINT');
      },
    });
    const code = await runTrainer(common, { ...first.trainerIo, interrupt: interrupt.signal });
    expect(first.io.stderr).toContain('Interrupted in epoch 2 at step 1/8.');
    expect(code).toBe(130);
    const { state } = await loadCheckpoint(out, { seed: 0 });
    expect(state).toMatchObject({
      epoch: 2,
      phase: 'train',
      settings: { model: 'textbook model 3', batchSize: 32, seed: 0, subset: null },
    });
    expect(state.snapshot.position.step).toBe(1);
    expect((await readJson(join(out, 'history.json'))).epoch).toEqual([1]);

    const second = capture();
    expect(await runTrainer([...common, '--resume'], second.trainerIo)).toBe(0);
    expect(second.io.stderr).toContain('checkpoint.ckpt: epoch 2, after step 1/8.');
    expect(second.io.stdout).not.toContain('Epoch 1/3');
    expect(second.io.stdout).toContain('Epoch 2/3\n8/8 [');
    expect(second.io.stdout).toContain('Epoch 3/3\n8/8 [');
    const history = await readJson(join(out, 'history.json'));
    expect(history.epoch).toEqual([1, 2, 3]);
    const finished = await loadCheckpoint(out, { seed: 0 });
    expect(finished.state).toMatchObject({ epoch: 4, phase: 'train' });
    // The run went on from the step it stopped at: 8 steps an epoch, none twice.
    expect(finished.model.optimizer!.iterations).toBe(8 + 8 + 8);

    // Resuming a finished run trains nothing, evaluates, and keeps the history.
    const third = capture();
    expect(await runTrainer([...common, '--resume'], third.trainerIo)).toBe(0);
    expect(third.io.stderr).toContain('nothing to train');
    expect(third.io.stdout).toMatch(/\n2\/2 \[={30}\] - \d+s \d+\w+\/step - loss: /);
    expect((await readJson(join(out, 'history.json'))).epoch).toEqual([1, 2, 3]);
  }, 180_000);

  it('redraws the bar in place on a terminal', async () => {
    const { io, trainerIo } = capture({ isTTY: true });
    const code = await runTrainer(
      [
        '--model',
        '3',
        '--epochs',
        '1',
        '--data',
        dataDir,
        '--out',
        join(root, 'tty'),
        '--workers',
        '1',
      ],
      trainerIo,
    );
    expect(code).toBe(0);
    // Every bar update starts with a carriage return; the finished line ends with a newline.
    expect(io.stdout).toMatch(
      /\r8\/8 \[={30}\] - \d+s \d+\w+\/step - loss: \d\.\d{4} - accuracy: \d\.\d{4} *\n/,
    );
    expect(io.stdout).toMatch(/\r2\/2 \[={30}\]/);
  }, 120_000);

  it('trains further from a saved model.json given as --model', async () => {
    const first = join(root, 'base');
    const base = capture();
    expect(
      await runTrainer(
        ['--model', '3', '--epochs', '1', '--data', dataDir, '--out', first, '--workers', '1'],
        base.trainerIo,
      ),
    ).toBe(0);
    const further = capture();
    const code = await runTrainer(
      [
        '--model',
        join(first, 'model.json'),
        '--epochs',
        '1',
        '--data',
        dataDir,
        '--out',
        join(root, 'further'),
        '--workers',
        '1',
        '--optimizer',
        'sgd',
        '--lr',
        '0.05',
      ],
      further.trainerIo,
    );
    expect(further.io.stderr).toContain(`Training ${join(first, 'model.json')} on 1 thread(s)`);
    expect(code).toBe(0);
    expect(further.io.stdout).toContain('Total params: 3,950');
    const { model } = await loadCheckpoint(join(root, 'further'), { seed: 0 });
    expect(model.optimizer!.getConfig()).toMatchObject({ name: 'SGD', learning_rate: 0.05 });
  }, 120_000);

  it('reports bad inputs clearly with exit code 1', async () => {
    const missingModel = capture();
    expect(
      await runTrainer(
        [
          '--model',
          join(root, 'absent', 'model.json'),
          '--data',
          dataDir,
          '--out',
          join(root, 'm'),
        ],
        missingModel.trainerIo,
      ),
    ).toBe(1);
    expect(missingModel.io.stderr).toContain(
      `--model ${join(root, 'absent', 'model.json')}: cannot read it as JSON`,
    );

    const noCheckpoint = capture();
    expect(
      await runTrainer(
        ['--resume', '--data', dataDir, '--out', join(root, 'fresh')],
        noCheckpoint.trainerIo,
      ),
    ).toBe(1);
    expect(noCheckpoint.io.stderr).toContain(
      `--out ${join(root, 'fresh')}: does not exist, so there is no checkpoint to resume`,
    );

    const partial = join(root, 'partial-data');
    await mkdir(partial, { recursive: true });
    await copyFile(
      join(dataDir, 'train-images-idx3-ubyte.gz'),
      join(partial, 'train-images-idx3-ubyte.gz'),
    );
    const incomplete = capture();
    expect(
      await runTrainer(['--data', partial, '--out', join(root, 'p')], incomplete.trainerIo),
    ).toBe(1);
    expect(incomplete.io.stderr).toContain(
      `--data ${partial}: missing train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz`,
    );

    const tooMany = capture();
    expect(
      await runTrainer(
        ['--subset', '1000', '--data', dataDir, '--out', join(root, 's')],
        tooMany.trainerIo,
      ),
    ).toBe(1);
    expect(tooMany.io.stderr).toContain('--subset 1000: the training set has only 256 images');
  }, 60_000);
});
