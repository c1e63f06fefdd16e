// The consumer check: every publishable package is built, packed, checked by publint and
// arethetypeswrong, and installed with npm into a fresh project outside the workspace, where the
// READMEs' examples, a pool conv2d, a one-batch fit, the types and the installed bins run as a
// user runs them. Needs the npm registry (or npm's cache) for third-party dependencies, and the
// Debian package dataset-fashion-mnist for the trainer run.

import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsumerProject, createConsumerProject } from '../src/consumer-project.js';
import { readmeExample } from '../src/readme.js';
import { run, runOk } from '../src/run.js';
import {
  buildPackages,
  packPackage,
  publishablePackages,
  WORKSPACE_ROOT,
} from '../src/workspace.js';

const FASHION_MNIST = '/usr/share/datasets/fashion-mnist';
const packages = publishablePackages();
const fixture = (name: string) => join(import.meta.dirname, '..', 'fixtures', name);
const workspaceBin = (name: string) => join(WORKSPACE_ROOT, 'node_modules', '.bin', name);

let tarballDir: string;
const tarballs = new Map<string, string>();
let project: ConsumerProject;

beforeAll(async () => {
  await buildPackages(packages);
  tarballDir = await mkdtemp(join(tmpdir(), 'convoy-tarballs-'));
  for (const pkg of packages) tarballs.set(pkg.name, await packPackage(pkg, tarballDir));
  project = await createConsumerProject([...tarballs.values()]);
}, 900_000);

afterAll(async () => {
  await project?.remove();
  if (tarballDir) await rm(tarballDir, { recursive: true, force: true });
});

/** Runs a script file with the consumer project's Node resolution; returns its stdout. */
async function runScript(file: string, args: readonly string[] = []): Promise<string> {
  const { stdout } = await runOk(process.execPath, [file, ...args], {
    cwd: join(project.dir, 'work'),
  });
  return stdout;
}

it('finds the packages to publish', () => {
  expect(packages.map((pkg) => pkg.name)).toEqual([
    '@convoy/data',
    '@convoy/layers',
    '@convoy/ops',
    '@convoy/optim',
    '@convoy/tensor',
    '@convoy/trainer',
    '@convoy/vision',
  ]);
});

it('installs no TypeScript runner: tsx and esbuild are development tools only', () => {
  for (const name of ['tsx', 'esbuild'])
    expect(existsSync(join(project.dir, 'node_modules', name)), `node_modules/${name}`).toBe(false);
  expect(
    existsSync(join(project.dir, 'node_modules', '@convoy', 'trainer', 'dist', 'bin.js')),
  ).toBe(true);
});

describe.each(packages)('$name', (pkg) => {
  it('passes publint (strict: warnings fail)', async () => {
    const { stdout } = await runOk(
      workspaceBin('publint'),
      ['run', tarballs.get(pkg.name)!, '--strict'],
      { cwd: WORKSPACE_ROOT },
    );
    expect(stdout).toContain('All good!');
  });

  it('passes arethetypeswrong (ESM-only profile)', async () => {
    await runOk(
      workspaceBin('attw'),
      [tarballs.get(pkg.name)!, '--profile', 'esm-only', '--format', 'ascii'],
      { cwd: WORKSPACE_ROOT },
    );
  });

  it('has a README whose install line and example run in the installed project', async () => {
    const readme = await readFile(join(pkg.dir, 'README.md'), 'utf8');
    const example = readmeExample(readme, `${pkg.name} README.md`);
    expect(example.install).toContain(pkg.name);
    const file = join(project.dir, 'work', `${pkg.name.replace('@convoy/', '')}-readme.mjs`);
    await writeFile(file, example.code);
    await runScript(file);
  });
});

it("runs the root README's example and prints what the README says", async () => {
  const readme = await readFile(join(WORKSPACE_ROOT, 'README.md'), 'utf8');
  const example = readmeExample(readme, 'README.md');
  for (const name of example.install.split(/\s+/).filter((word) => word.startsWith('@convoy/')))
    expect(tarballs.has(name), `${name} in the README's install line`).toBe(true);
  const file = join(project.dir, 'work', 'root-readme.mjs');
  await writeFile(file, example.code);
  expect(await runScript(file)).toBe('[[38. 27.]\n [48. 49.]]\n');
});

it('runs conv2d split across two installed worker threads, equal to one thread', async () => {
  const file = join(project.dir, 'work', 'workers-conv2d.mjs');
  await copyFile(fixture('workers-conv2d.mjs'), file);
  const result = JSON.parse(await runScript(file));
  expect(result).toEqual({ shape: [8, 28, 28, 16], maxDifference: 0, shardedCalls: 1 });
});

it('fits one batch of a small CNN and changes its weights', async () => {
  const file = join(project.dir, 'work', 'one-batch-fit.mjs');
  await copyFile(fixture('one-batch-fit.mjs'), file);
  const result = JSON.parse(await runScript(file));
  expect(result.batches).toBe(1);
  expect(result.changed).toBe(true);
  expect(result.loss).toBeGreaterThan(0);
});

it("compiles a TypeScript consumer against the installed packages' types", async () => {
  const source = join(project.dir, 'work', 'consumer-types.ts');
  await copyFile(fixture('consumer-types.ts'), source);
  await writeFile(
    join(project.dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        types: ['node'],
        // @types/node comes from the workspace: the consumer project installs only Convoy.
        typeRoots: [join(WORKSPACE_ROOT, 'node_modules', '@types')],
      },
      files: ['work/consumer-types.ts'],
    }),
  );
  await runOk(workspaceBin('tsc'), ['-p', 'tsconfig.json'], { cwd: project.dir });
});

it('trains model 3 for one epoch on 320 images with the installed convoy-train', async () => {
  expect(
    existsSync(FASHION_MNIST),
    `${FASHION_MNIST} (apt-get install dataset-fashion-mnist)`,
  ).toBe(true);
  const out = join(project.dir, 'work', 'run-model-3');
  const { stdout, stderr } = await runOk(
    project.bin('convoy-train'),
    ['--model', '3', '--subset', '320', '--epochs', '1', '--data', FASHION_MNIST, '--out', out],
    { cwd: join(project.dir, 'work') },
  );
  expect(stdout).toMatch(/Epoch 1\/1\n10\/10 \[=+\]/);
  expect(stdout).toMatch(/313\/313 \[=+\] .* - accuracy: 0\.\d{4}/);
  expect(stderr).toMatch(/Test accuracy: \d+\.\d\d%/);
  for (const file of ['model.json', 'history.json', 'history.csv', 'training-curves.png'])
    expect(existsSync(join(out, file)), file).toBe(true);
});

it('filters the sample picture into a figure with the installed convoy-vision', async () => {
  const output = join(project.dir, 'work', 'edge-figure.png');
  const { stderr } = await runOk(
    project.bin('convoy-vision'),
    ['filter', '--kernel', 'edge', '--pool', '2', '--figure', '-o', output],
    { cwd: join(project.dir, 'work') },
  );
  expect(stderr).toMatch(/figure: gray \| convolution \| max_pooled/);
  const bytes = await readFile(output);
  expect([...bytes.subarray(1, 4)].map((c) => String.fromCharCode(c)).join('')).toBe('PNG');
});

it('exports Fashion-MNIST as an image folder with the installed convoy-data, and loads it back', async () => {
  const out = join(project.dir, 'work', 'fashion-folder');
  const { stdout } = await runOk(
    project.bin('convoy-data'),
    ['export', '--out', out, '--data', FASHION_MNIST, '--limit', '30', '--quiet'],
    { cwd: join(project.dir, 'work') },
  );
  expect(stdout).toBe(
    `wrote 30 images of 10 classes to ${join(out, 'train')}\nwrote 30 images of 10 classes to ${join(out, 'test')}\n`,
  );
  const script = join(project.dir, 'work', 'load-folder.mjs');
  await writeFile(
    script,
    `import { loadImageFolder } from '@convoy/data';
const { train, classNames } = await loadImageFolder(process.argv[2], { colorMode: 'grayscale', onProgress: false });
console.log(JSON.stringify({ shape: train.images.shape, classes: classNames.length }));
`,
  );
  expect(JSON.parse(await runScript(script, [join(out, 'test')]))).toEqual({
    shape: [30, 28, 28, 1],
    classes: 10,
  });
});

it('refuses to run a bin whose package has no build, with a message (no TypeScript fallback)', async () => {
  // An installed package never reaches for tsx: without dist/ the vision bin says so.
  const copy = join(project.dir, 'work', 'vision-without-dist');
  await mkdir(join(copy, 'bin'), { recursive: true });
  await copyFile(
    join(project.dir, 'node_modules', '@convoy', 'vision', 'bin', 'convoy-vision.js'),
    join(copy, 'bin', 'convoy-vision.js'),
  );
  const result = await run(process.execPath, [join(copy, 'bin', 'convoy-vision.js'), 'kernels'], {
    cwd: copy,
  });
  expect(result.code).toBe(1);
  expect(result.stderr).toContain('has no dist/ build');
});
