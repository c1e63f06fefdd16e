#!/usr/bin/env node
// The repository's one test command (`pnpm test`): lint, typecheck, the API reference (TypeDoc,
// into docs/api; a broken doc link or comment fails it), then every vitest project in one run —
// including tooling/consumer-check, which packs every publishable package, runs publint and
// arethetypeswrong on the tarballs and installs them with npm into a fresh project to run them
// there. It ends with a plain `N passed, N failed` line that CI reads, and exits non-zero if any
// step failed.

import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const report = `${root}.vitest-report.json`;
const extraArgs = process.argv.slice(2);

function run(title, command, args) {
  console.log(`\n> ${title}: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', shell: false });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

const bin = (name) => `${root}node_modules/.bin/${name}`;
const failedSteps = [];
if (run('lint', bin('biome'), ['check', '.']) !== 0) failedSteps.push('lint');
if (run('typecheck', bin('turbo'), ['run', 'typecheck', '--output-logs=errors-only']) !== 0) {
  failedSteps.push('typecheck');
}
if (run('api reference', bin('typedoc'), ['--logLevel', 'Warn']) !== 0) failedSteps.push('docs');

rmSync(report, { force: true });
const vitestStatus = run('tests', bin('vitest'), [
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${report}`,
  ...extraArgs,
]);

let passed = 0;
let failed = 0;
let skipped = 0;
try {
  const results = JSON.parse(readFileSync(report, 'utf8'));
  passed = results.numPassedTests;
  failed = results.numFailedTests;
  skipped = results.numPendingTests + results.numTodoTests;
  // A file that fails to load has no test results but must still count as a failure.
  failed += results.testResults.filter(
    (file) => file.status === 'failed' && file.assertionResults.length === 0,
  ).length;
} catch {
  failed += 1;
  console.error('tests: vitest wrote no JSON report');
}
if (vitestStatus !== 0 && failed === 0) failed = 1;
for (const step of failedSteps) {
  console.error(`${step} failed`);
  failed += 1;
}

console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed === 0 ? 0 : 1);
