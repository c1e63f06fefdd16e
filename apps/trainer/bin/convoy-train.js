#!/usr/bin/env node
// Launcher for `convoy-train`. An installed package runs its built JavaScript, dist/bin.js.
// In a checkout of the repository (recognised by tsconfig.json, which is never published) it
// runs the TypeScript source instead, so the command never runs a stale build: src/bin.ts starts
// in a child Node process with tsx (a devDependency) as the loader and the `source` export
// condition, which resolves every @convoy/* import to its src/*.ts. A child process is needed
// because `--conditions` is a Node startup flag and cannot be turned on from inside a running
// process. `node apps/trainer/dist/bin.js` runs a checkout's build directly.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const checkout = existsSync(fileURLToPath(new URL('../tsconfig.json', import.meta.url)));

if (!checkout) {
  await import(new URL('../dist/bin.js', import.meta.url).href);
} else {
  const source = fileURLToPath(new URL('../src/bin.ts', import.meta.url));
  // Resolved from this file, so it finds the app's own tsx under pnpm's strict layout.
  const tsxLoader = import.meta.resolve('tsx');
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', tsxLoader, source, ...process.argv.slice(2)],
    { stdio: 'inherit' },
  );
  // Ctrl-C in a terminal reaches the whole process group, child included: the child saves its
  // checkpoint and exits 130, and this process just waits for it. A signal sent to this process
  // alone (kill <pid>) is passed on; the child ignores a second one while it is saving.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    });
  }
  child.on('error', (error) => {
    process.stderr.write(`convoy-train: could not start Node: ${error.message}\n`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    process.exit(code ?? (signal === 'SIGINT' ? 130 : 1));
  });
}
