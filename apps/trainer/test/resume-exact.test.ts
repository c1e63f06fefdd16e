// convoy-train interrupted (Ctrl-C) at many points and resumed gives the run that never stopped,
// bit for bit: the final model's bytes, history.json (but its seconds) and every printed metric
// line (but its timing), on 1 and 2 workers and across them. Points: the first step, the last
// step of an epoch, mid-epoch, between two epochs, the test pass, the last step of the run and
// the final test pass. Also: --resume with other settings is refused naming them; --out that
// cannot be written is refused before training; --checkpoint-every saves at the step asked.

import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeCheckpoint } from '@convoy/layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCheckpoint } from '../src/checkpoint.js';
import { runTrainer, type TrainerIo, type TrainerProgress } from '../src/main.js';
import { writeSyntheticFashionMnist } from './fixtures/synthetic-fashion.js';

let root: string;
let dataDir: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'convoy-train-resume-'));
  // 256 training images in 8 steps of 32, 64 test images in 2 batches.
  dataDir = await writeSyntheticFashionMnist(join(root, 'data'), { train: 256, test: 64 });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

type Point = Omit<TrainerProgress, 'steps'>;

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(args: string[], stopAt?: Point): Promise<Result> {
  const out = { stdout: '', stderr: '' };
  const interrupt = new AbortController();
  const io: TrainerIo = {
    stdout: { isTTY: false, write: (text: string) => (out.stdout += text) },
    stderr: { write: (text: string) => (out.stderr += text) },
    interrupt: interrupt.signal,
    onProgress: (event) => {
      if (
        stopAt &&
        event.phase === stopAt.phase &&
        event.epoch === stopAt.epoch &&
        event.step === stopAt.step
      )
        interrupt.abort('SIGINT');
    },
  };
  const code = await runTrainer(args, io);
  return { code, ...out };
}

const args = (out: string, workers: number) => [
  '--model',
  '3',
  '--data',
  dataDir,
  '--epochs',
  '3',
  '--out',
  out,
  '--workers',
  String(workers),
];

/** The printed metric lines (progress bars' finished lines), timing taken out. */
function metricLines(stdout: string): string[] {
  return stdout
    .split('\n')
    .filter((line) => /^\d+\/\d+ \[/.test(line))
    .map((line) => line.replace(/ - \d+s \d+\w+\/step/, ''));
}

async function outputsOf(out: string) {
  const history = JSON.parse(await readFile(join(out, 'history.json'), 'utf8'));
  delete history.seconds;
  return { weights: await readFile(join(out, 'group1-shard1of1.bin')), history };
}

let reference: { lines: string[]; weights: Buffer; history: unknown } | undefined;
async function uninterrupted() {
  if (reference) return reference;
  const out = join(root, 'reference');
  const result = await run(args(out, 1));
  expect(result.code, result.stderr).toBe(0);
  reference = { lines: metricLines(result.stdout), ...(await outputsOf(out)) };
  // Three epochs and the final evaluation.
  expect(reference.lines).toHaveLength(4);
  return reference;
}

const POINTS: [string, Point][] = [
  ['the first step', { phase: 'train', epoch: 1, step: 1 }],
  ['the last step of an epoch', { phase: 'train', epoch: 1, step: 8 }],
  ['mid-epoch', { phase: 'train', epoch: 2, step: 5 }],
  ['between two epochs (after the last test batch)', { phase: 'test', epoch: 1, step: 2 }],
  ['the test pass', { phase: 'test', epoch: 2, step: 1 }],
  ['the last step of the run', { phase: 'train', epoch: 3, step: 8 }],
  ['the final test pass', { phase: 'test', epoch: 3, step: 1 }],
];

let counter = 0;
describe('convoy-train --resume after Ctrl-C', () => {
  for (const [workers, resumeWorkers] of [
    [1, 1],
    [2, 2],
    [2, 1],
  ] as const) {
    it.each(POINTS)(
      `gives the uninterrupted run bit for bit, interrupted at %s (${workers} worker(s), resumed on ${resumeWorkers})`,
      async (_, point) => {
        const expected = await uninterrupted();
        const out = join(root, `interrupted-${counter++}`);
        const first = await run(args(out, workers), point);
        expect(first.code, first.stderr).toBe(130);
        expect(first.stderr).toContain('Checkpoint saved to');
        const second = await run([...args(out, resumeWorkers), '--resume']);
        expect(second.code, second.stderr).toBe(0);
        // An epoch whose last step was done before the interrupt has its line printed by both
        // runs: the resumed one prints the epoch it continues in full. Both show the same numbers.
        const before = metricLines(first.stdout);
        const after = metricLines(second.stdout);
        if (before.length > 0 && before.at(-1) === after[0]) before.pop();
        expect([...before, ...after]).toEqual(expected.lines);
        const got = await outputsOf(out);
        expect(got.history).toEqual(expected.history);
        expect(got.weights.equals(expected.weights)).toBe(true);
      },
      120_000,
    );
  }
});

describe('convoy-train refuses what would not give the same run', () => {
  it('refuses --resume with other settings, naming each difference', async () => {
    const out = join(root, 'settings');
    const first = await run(args(out, 1), { phase: 'train', epoch: 1, step: 3 });
    expect(first.code).toBe(130);
    const other = await run([
      ...args(out, 1),
      '--resume',
      '--batch-size',
      '16',
      '--seed',
      '4',
      '--optimizer',
      'sgd',
      '--subset',
      '128',
    ]);
    expect(other.code).toBe(1);
    expect(other.stderr).toContain(
      `--resume: ${join(out, 'checkpoint.ckpt')} was made by a run with other settings, so continuing it would not give that run: --optimizer was adam, now sgd; --batch-size was 32, now 16; --seed was 0, now 4; --subset was all images, now 128; the data differs`,
    );
    const model = await run([...args(out, 1), '--resume', '--model', '2']);
    expect(model.stderr).toContain('--model was textbook model 3, now textbook model 2');
    // The checkpoint is untouched by the refusals and still resumes.
    expect((await loadCheckpoint(out, { seed: 0 })).state.snapshot.position.step).toBe(3);
  }, 120_000);

  it('refuses an --out it cannot write before loading any data', async () => {
    const file = join(root, 'a-file');
    await writeFile(file, 'x');
    const onFile = await run(['--model', '3', '--out', file, '--data', join(root, 'nowhere')]);
    expect(onFile.code).toBe(1);
    expect(onFile.stderr).toContain(`--out ${file}: is a file, not a directory`);
    const under = await run(['--model', '3', '--out', join(file, 'run'), '--data', dataDir]);
    expect(under.stderr).toContain(`--out ${join(file, 'run')}: cannot create the directory`);
    if (process.getuid?.() !== 0) {
      // root writes anywhere: a read-only directory refuses only other users.
      const readOnly = join(root, 'read-only');
      await mkdir(readOnly);
      await chmod(readOnly, 0o555);
      const refused = await run(['--model', '3', '--out', readOnly, '--data', dataDir]);
      expect(refused.stderr).toContain(
        `--out ${readOnly}: cannot write into the directory (permission denied)`,
      );
    }
  });

  it('saves a checkpoint at every --checkpoint-every steps', async () => {
    const out = join(root, 'every');
    const path = join(out, 'checkpoint.ckpt');
    const present: boolean[] = [];
    let atStep4: Uint8Array | undefined;
    const interrupt = new AbortController();
    const code = await runTrainer([...args(out, 1), '--checkpoint-every', '3'], {
      stdout: { isTTY: false, write: () => true },
      stderr: { write: () => true },
      interrupt: interrupt.signal,
      onProgress: (event) => {
        if (event.phase !== 'train' || event.epoch !== 1) return;
        present.push(existsSync(path));
        if (event.step === 4) {
          atStep4 = readFileSync(path);
          interrupt.abort('SIGINT');
        }
      },
    });
    expect(code).toBe(130);
    // Told after each step, before that step's checkpoint: none until step 3 saved one.
    expect(present).toEqual([false, false, false, true]);
    const checkpoint = await decodeCheckpoint(atStep4!, path);
    expect(checkpoint.training.position.step).toBe(3);
    expect((await loadCheckpoint(out, { seed: 0 })).state.snapshot.position.step).toBe(4);
  }, 120_000);
});
