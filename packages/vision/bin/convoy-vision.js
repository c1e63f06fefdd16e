#!/usr/bin/env node
// The convoy-vision command. With a build (dist/) it runs the compiled JavaScript. In a source
// checkout without a build (or when a workspace dependency has no build yet) it starts
// src/cli/run.ts in a child Node with tsx's loader and the `source` export condition, so @convoy/*
// packages resolve to their TypeScript sources; the pool's worker threads get the same loader.
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
if (existsSync(fileURLToPath(built))) {
  try {
    await import(built.href);
  } catch (error) {
    // dist/ of this package exists but a dependency's does not: the sources still work.
    if (error?.code !== 'ERR_MODULE_NOT_FOUND') throw error;
    runFromSource();
  }
} else {
  runFromSource();
}
