#!/usr/bin/env node
// The convoy-vision command. With a build (dist/) it runs the compiled JavaScript: an installed
// package always has one. In a checkout of the repository (recognised by tsconfig.json, which is
// never published) without a build, or when a workspace dependency has no build yet, it starts
// src/cli/run.ts in a child Node with tsx's loader (a devDependency) and the `source` export
// condition, so @convoy/* packages resolve to their TypeScript sources; the pool's worker threads
// get the same loader.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

function runFromSource() {
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

const built = new URL('../dist/cli/run.js', import.meta.url);
const checkout = existsSync(fileURLToPath(new URL('../tsconfig.json', import.meta.url)));
if (existsSync(fileURLToPath(built))) {
  try {
    await import(built.href);
  } catch (error) {
    // In a checkout, dist/ of this package may exist while a dependency's does not: the sources
    // still work. An installed package has no sources to fall back on.
    if (!checkout || error?.code !== 'ERR_MODULE_NOT_FOUND') throw error;
    runFromSource();
  }
} else if (checkout) {
  runFromSource();
} else {
  process.stderr.write('convoy-vision: this installed package has no dist/ build; reinstall it\n');
  process.exitCode = 1;
}
