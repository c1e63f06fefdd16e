// kill -9 at random moments: convoy-train runs in a child process with a checkpoint after every
// step, and is SIGKILLed at a seeded random moment — after a random number of its checkpoints
// have landed, plus a random delay of up to KILL_DELAY_MS, so kills fall mid-step,
// mid-checkpoint, mid-test pass and mid-save of the final model — again and again, each time
// resumed with --resume. After every kill, whatever is in --out loads correctly (the checkpoint,
// and model.json if there is one) or is absent, and a resume with no checkpoint yet says so.
// Each run that completes equals, bit for bit, one that was never killed; then a new run starts,
// until MAX_KILLS kills have been survived. Counting checkpoints (not milliseconds) is what makes
// the kills land within a run whatever the machine's speed. Bounded for CI: MAX_KILLS kills,
// about 5 s each (most of it the child's start-up).

import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, watch } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
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
/** A run saves about this many checkpoints: 24 steps in each of 2 epochs. */
const CHECKPOINTS_PER_RUN = 48;
const KILL_DELAY_MS = 400;
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
 * Runs src/bin.ts itself (not the launcher, whose child a SIGKILL would not reach) with its
 * output in `out`, and SIGKILLs it `delayMs` after the `checkpoints`-th checkpoint lands there,
 * if it is still running then.
 */
function runChild(
  argv: string[],
  out: string,
  kill: { checkpoints: number; delayMs: number } | undefined,
): Promise<Ended> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', 'src/bin.ts', ...argv],
      { cwd: APP, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    let landed = 0;
    const watcher = watch(out, (_, name) => {
      if (name !== 'checkpoint.ckpt' || !kill) return;
      landed += 1;
      if (landed === kill.checkpoints) setTimeout(() => child.kill('SIGKILL'), kill.delayMs);
    });
    // 0 checkpoints: killed while starting, before any checkpoint.
    if (kill?.checkpoints === 0) setTimeout(() => child.kill('SIGKILL'), kill.delayMs);
    const guard = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      watcher.close();
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
  it(`survives ${MAX_KILLS} SIGKILLs, resuming from the last whole checkpoint; every completed run equals an unkilled one`, async () => {
    const reference = join(root, 'reference');
    const quiet = { write: () => true };
    expect(await runTrainer(args(reference), { stdout: quiet, stderr: quiet })).toBe(0);

    const rng = createRng(12);
    let kills = 0;
    let noCheckpointYet = 0;
    let completed = 0;
    let spawns = 0;
    while (kills < MAX_KILLS) {
      const out = join(root, `killed-${completed}`);
      await mkdir(out, { recursive: true });
      let resume = false;
      let done = 0;
      for (;;) {
        expect(spawns++, 'spawns, bounded').toBeLessThan(3 * MAX_KILLS);
        // A kill after 0 … the checkpoints still to come (one in eight fresh starts is killed
        // before its first), so nearly every process is killed somewhere in what is left.
        const left = Math.max(1, CHECKPOINTS_PER_RUN - done);
        const checkpoints = !resume && rng.int(8) === 0 ? 0 : 1 + rng.int(left);
        const kill =
          kills < MAX_KILLS ? { checkpoints, delayMs: rng.int(KILL_DELAY_MS) } : undefined;
        const ended = await runChild([...args(out), ...(resume ? ['--resume'] : [])], out, kill);
        if (ended.signal === 'SIGKILL') {
          kills += 1;
          // What a kill leaves loads as it should: the checkpoint whole, a model.json with its
          // weights (only the final save writes one).
          if (existsSync(join(out, 'checkpoint.ckpt'))) {
            const { state } = await loadCheckpoint(out, { seed: 0 });
            done = (state.epoch - 1) * (CHECKPOINTS_PER_RUN / 2) + state.snapshot.position.step;
          }
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
      completed += 1;
      const got = await outputsOf(out);
      const expected = await outputsOf(reference);
      expect(got.history).toEqual(expected.history);
      expect(got.weights.equals(expected.weights)).toBe(true);
    }
    console.log(
      `sigkill loop: ${kills} kills survived (${noCheckpointYet} before the first checkpoint), ${completed} runs completed equal to the unkilled one, ${spawns} processes`,
    );
  }, 600_000);
});
