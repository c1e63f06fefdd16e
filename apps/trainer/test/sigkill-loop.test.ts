// kill -9 at random moments: convoy-train runs in a child process with a checkpoint after every
// step, and is SIGKILLed at a seeded random delay after it starts training — mid-step,
// mid-checkpoint, mid-test pass, mid-save of the final model — again and again, each time
// resumed with --resume. After every kill, whatever is in --out loads correctly (the checkpoint,
// and model.json if there is one) or is absent, and a resume with no checkpoint yet says so.
// The run that finally completes equals, bit for bit, one that was never killed.
// Bounded for CI: at most MAX_KILLS kills (about 3 s each on two busy cores).

import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadModel } from '@convoy/layers';
import { createRng } from '@convoy/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCheckpoint } from '../src/checkpoint.js';
import { runTrainer } from '../src/main.js';
import { writeSyntheticFashionMnist } from './fixtures/synthetic-fashion.js';

const MAX_KILLS = 12;
/** Kills land uniformly within this long after the child says it is training. */
const KILL_WINDOW_MS = 2500;
const APP = fileURLToPath(new URL('..', import.meta.url));

let root: string;
let dataDir: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'convoy-train-sigkill-'));
  dataDir = await writeSyntheticFashionMnist(join(root, 'data'), { train: 192, test: 64 });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const args = (out: string) => [
  '--model',
  '3',
  '--data',
  dataDir,
  '--epochs',
  '2',
  '--batch-size',
  '8',
  '--workers',
  '1',
  '--checkpoint-every',
  '1',
  '--out',
  out,
];

interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/**
 * Runs src/bin.ts itself (not the launcher, whose child a SIGKILL would not reach), killing it
 * `killAfterMs` after it starts training, if it is still running then.
 */
function runChild(argv: string[], killAfterMs: number | undefined): Promise<Ended> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', 'src/bin.ts', ...argv],
      { cwd: APP, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    let armed = false;
    const guard = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      if (!armed && killAfterMs !== undefined && stderr.includes('\nTraining ')) {
        armed = true;
        setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      resolve({ code, signal, stderr });
    });
  });
}

async function outputsOf(out: string) {
  const history = JSON.parse(await readFile(join(out, 'history.json'), 'utf8'));
  delete history.seconds;
  return { weights: await readFile(join(out, 'group1-shard1of1.bin')), history };
}

describe('convoy-train under kill -9', () => {
  it(`continues from the last whole checkpoint after each of up to ${MAX_KILLS} SIGKILLs and ends as an unkilled run`, async () => {
    const reference = join(root, 'reference');
    const quiet = { write: () => true };
    expect(await runTrainer(args(reference), { stdout: quiet, stderr: quiet })).toBe(0);

    const out = join(root, 'killed');
    const rng = createRng(12);
    let kills = 0;
    let noCheckpointYet = 0;
    let resume = false;
    for (;;) {
      const killAfter = kills < MAX_KILLS ? rng.int(KILL_WINDOW_MS) : undefined;
      const ended = await runChild([...args(out), ...(resume ? ['--resume'] : [])], killAfter);
      if (ended.signal === 'SIGKILL') {
        kills += 1;
        // What a kill leaves loads as it should: the checkpoint whole, a model.json with its
        // weights (only the final save writes one).
        if (existsSync(join(out, 'checkpoint.ckpt'))) await loadCheckpoint(out, { seed: 0 });
        if (existsSync(join(out, 'model.json'))) await loadModel(out);
        resume = true;
        continue;
      }
      if (ended.code === 1 && ended.stderr.includes('there is no checkpoint in')) {
        // Killed before its first checkpoint: --resume says so, and the run starts afresh.
        noCheckpointYet += 1;
        resume = false;
        continue;
      }
      expect(ended.code, ended.stderr).toBe(0);
      break;
    }
    console.log(
      `sigkill loop: ${kills} kills survived (${noCheckpointYet} before the first checkpoint)`,
    );
    expect(kills).toBe(MAX_KILLS);
    const got = await outputsOf(out);
    const expected = await outputsOf(reference);
    expect(got.history).toEqual(expected.history);
    expect(got.weights.equals(expected.weights)).toBe(true);
  }, 600_000);
});
