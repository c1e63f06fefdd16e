// A fresh npm project in the system's temporary directory — outside the workspace, so nothing
// resolves through pnpm's links — with the packed tarballs installed by npm, as a user installs
// them. Third-party dependencies come from the npm registry (or npm's cache).

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runOk } from './run.js';

export interface ConsumerProject {
  dir: string;
  /** Path of an installed bin (node_modules/.bin/<name>). */
  bin(name: string): string;
  remove(): Promise<void>;
}

export async function createConsumerProject(tarballs: readonly string[]): Promise<ConsumerProject> {
  const dir = await mkdtemp(join(tmpdir(), 'convoy-consumer-'));
  await writeFile(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: 'convoy-consumer', private: true, type: 'module' }, null, 2)}\n`,
  );
  await mkdir(join(dir, 'work'));
  await runOk(
    'npm',
    ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', ...tarballs],
    { cwd: dir, timeoutMs: 600_000 },
  );
  return {
    dir,
    bin: (name) => join(dir, 'node_modules', '.bin', name),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
