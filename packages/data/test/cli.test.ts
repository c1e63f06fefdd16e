// convoy-data export, in-process, on a tiny generated Fashion-MNIST: the folder it writes, and
// its usage errors.

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runDataCli } from '../src/cli/main.js';
import { loadImageFolder } from '../src/index.js';
import { removeDir, tempDir, tinyFashionMnist, writeFiles } from './fixtures.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) removeDir(dir);
});

function capture() {
  const io = {
    stdout: '',
    stderr: '',
    out: (text: string) => void (io.stdout += text),
    err: { write: (text: string) => void (io.stderr += text) },
  };
  return io;
}

describe('convoy-data export', () => {
  it('writes train and test as class folders of PNGs that load back', async () => {
    const root = tempDir();
    dirs.push(root);
    const idx = writeFiles(join(root, 'idx'), tinyFashionMnist(12, 5));
    const out = join(root, 'folder');
    const io = capture();
    expect(await runDataCli(['export', '--out', out, '--data', idx, '--limit', '10'], io)).toBe(0);
    expect(io.stdout).toBe(
      `wrote 10 images of 10 classes to ${join(out, 'train')}\nwrote 5 images of 10 classes to ${join(out, 'test')}\n`,
    );
    expect(io.stderr).toMatch(/writing .*train: 10\/10 \(100%\)/);
    expect(readdirSync(join(out, 'train'))).toContain('0-T-shirt_top');
    const test = await loadImageFolder(join(out, 'test'), {
      colorMode: 'grayscale',
      onProgress: false,
    });
    expect(test.train.images.shape).toEqual([5, 28, 28, 1]);
  });

  it('exits 2 with a message for bad usage', async () => {
    let io = capture();
    expect(await runDataCli(['export'], io)).toBe(2);
    expect(io.stderr).toBe('convoy-data: export needs --out <dir>\n');
    io = capture();
    expect(await runDataCli(['export', '--out', 'x', '--split', 'valid'], io)).toBe(2);
    expect(io.stderr).toBe("convoy-data: --split must be train, test or both, got 'valid'\n");
    io = capture();
    expect(await runDataCli(['frobnicate'], io)).toBe(2);
    io = capture();
    expect(await runDataCli(['--help'], io)).toBe(0);
    expect(io.stdout).toContain('convoy-data export --out <dir>');
  });
});
