// Acceptance gate on the real data: the textbook's model 3 trained for one epoch on the full
// Fashion-MNIST training set must reach at least 80% test accuracy (Keras gets ~79-84% after one
// epoch; this run, seed 0, measured 82.6%). The data comes from the Debian package
// dataset-fashion-mnist; when it is missing this test fails and says how to install it.

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTrainer } from '../src/main.js';

const REAL_DATA = '/usr/share/datasets/fashion-mnist';
const GATE_PERCENT = 80;

let out: string;
beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'convoy-train-acceptance-'));
});
afterAll(async () => {
  await rm(out, { recursive: true, force: true });
});

describe('acceptance gate (real Fashion-MNIST)', () => {
  it(`textbook model 3, one epoch: test accuracy >= ${GATE_PERCENT}%`, async () => {
    let stdout = '';
    let stderr = '';
    const code = await runTrainer(
      [
        '--model',
        '3',
        '--epochs',
        '1',
        '--data',
        REAL_DATA,
        '--out',
        out,
        '--workers',
        '1',
        '--target-accuracy',
        String(GATE_PERCENT),
      ],
      {
        stdout: { isTTY: false, write: (text: string) => (stdout += text) },
        stderr: { write: (text: string) => (stderr += text) },
      },
    );
    // On failure the message carries the trainer's own explanation (missing data, low accuracy).
    expect({ code, stderr }).toEqual({
      code: 0,
      stderr: expect.stringContaining('meets the target'),
    });
    expect(stdout).toMatch(
      /^1875\/1875 \[={30}\] - \d+s \d+\w+\/step - loss: \d\.\d{4} - accuracy: \d\.\d{4}$/m,
    );
    expect(stdout).toMatch(
      /^313\/313 \[={30}\] - \d+s \d+\w+\/step - loss: \d\.\d{4} - accuracy: 0\.(8|9)\d{3}$/m,
    );
    const history = JSON.parse(await readFile(join(out, 'history.json'), 'utf8'));
    expect(history.val_accuracy[0]).toBeGreaterThanOrEqual(GATE_PERCENT / 100);
  }, 240_000);
});
