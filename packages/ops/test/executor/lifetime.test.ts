// close() must end every worker thread so a process can exit: a child Node process makes a worker
// executor, runs a sharded call, closes the executor and returns without process.exit. It must
// exit on its own within a bound, with no worker threads left alive.

import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const EXIT_BOUND_MS = 20_000;

interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function runChild(args: string[]): Promise<ChildResult> {
  const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const script = fileURLToPath(new URL('./fixtures/executor-lifetime.ts', import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', tsxLoader, '--conditions=source', script, ...args],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`executor child did not exit within ${EXIT_BOUND_MS} ms: ${stdout} ${stderr}`),
      );
    }, EXIT_BOUND_MS);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

describe('worker executor lifetime', () => {
  it.concurrent('close() ends the worker threads and the process exits by itself', async () => {
    const result = await runChild([]);
    expect(result.code, result.stderr).toBe(0);
    const counts = JSON.parse(result.stdout) as {
      before: number;
      running: number;
      after: number;
      tasks: number;
    };
    expect(counts.tasks).toBe(2);
    expect(counts.running).toBe(counts.before + 2);
    expect(counts.after).toBe(counts.before);
  });

  it.concurrent('without close() the threads are still alive (so the check above can tell)', async () => {
    const result = await runChild(['--no-close']);
    expect(result.code, result.stderr).toBe(0);
    const counts = JSON.parse(result.stdout) as { before: number; running: number; after: number };
    expect(counts.after).toBe(counts.before + 2);
  });
});
