// One run of the native peer: PyTorch training the same textbook model with the same settings
// (anchors/pytorch/fmnist_train.py, which prints a JSON line with its median ms per step). Only
// when python3 with torch is installed; its BLAS is whatever LD_LIBRARY_PATH points at (see that
// script's README: OpenBLAS, not Debian's reference BLAS).

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface TorchRun {
  model: number;
  threads: number;
  msPerStep: number;
}

/** Whether `python` can import torch; the reason when it cannot. */
export function torchAvailable(python: string, script: string): string | undefined {
  if (!existsSync(script)) return `no PyTorch script at ${script}`;
  const probe = spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8' });
  if (probe.error) return `${python}: ${probe.error.message}`;
  if (probe.status !== 0)
    return `${python} cannot import torch: ${probe.stderr.trim().split('\n').pop()}`;
  return undefined;
}

export function runTorch(
  python: string,
  script: string,
  which: number,
  threads: number,
  steps: number,
): TorchRun {
  const args = [script, '--model', String(which), '--epochs', '1', '--threads', String(threads)];
  args.push('--steps', String(steps), '--no-test');
  const result = spawnSync(python, args, { encoding: 'utf8', maxBuffer: 16 << 20 });
  if (result.error) throw result.error;
  const line = result.stdout.split('\n').find((text) => text.startsWith('JSON '));
  if (result.status !== 0 || !line) {
    throw new Error(
      `bench:train: ${python} ${args.join(' ')} exited ${result.status}: ${result.stderr.trim().slice(-400)}`,
    );
  }
  const report = JSON.parse(line.slice(5)) as { median_ms_per_step: number };
  return { model: which, threads, msPerStep: report.median_ms_per_step };
}
