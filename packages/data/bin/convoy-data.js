#!/usr/bin/env node
// The convoy-data command. An installed package runs its built JavaScript (dist/cli/run.js). In a
// checkout of the repository (recognised by tsconfig.json, which is never published) it runs the
// TypeScript source in a child Node with tsx's loader (a devDependency of the workspace) and the
// `source` export condition, so it never runs a stale build.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const checkout = existsSync(fileURLToPath(new URL('../tsconfig.json', import.meta.url)));

if (!checkout) {
  await import(new URL('../dist/cli/run.js', import.meta.url).href);
} else {
  // An absolute path: a bare 'tsx' does not resolve from elsewhere under pnpm's strict layout.
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const entry = fileURLToPath(new URL('../src/cli/run.ts', import.meta.url));
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', tsx, entry, ...process.argv.slice(2)],
    { stdio: 'inherit' },
  );
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => child.kill(signal));
  }
  child.on('exit', (code, signal) => {
    if (signal) process.kill(process.pid, signal);
    else process.exitCode = code ?? 1;
  });
}
