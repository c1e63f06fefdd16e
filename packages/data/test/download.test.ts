// The download path, against a mirror on 127.0.0.1 serving tiny generated files: progress,
// checksums, and that a bad or interrupted transfer never leaves a file in place.

import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  type DownloadProgress,
  FashionMnistNotFoundError,
  loadFashionMnist,
} from '../src/index.js';
import {
  checksumsOf,
  type MirrorServer,
  removeDir,
  startMirror,
  tempDir,
  tinyFashionMnist,
} from './fixtures.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

const files = tinyFashionMnist(40, 12);
const checksums = checksumsOf(files);

async function mirror(): Promise<MirrorServer> {
  const server = await startMirror(files);
  cleanups.push(() => server.close());
  return server;
}

function emptyCache(): string {
  const root = tempDir();
  cleanups.push(() => removeDir(root));
  return join(root, 'cache');
}

const noLocalCopies = { env: {}, systemDirs: [] as string[], idleTimeoutMs: 2000 };

describe('downloading from the mirror', () => {
  it('downloads all four files into the cache, verifies them and reports progress', async () => {
    const server = await mirror();
    const cacheDir = emptyCache();
    const progress: DownloadProgress[] = [];
    const data = await loadFashionMnist({
      ...noLocalCopies,
      cacheDir,
      mirrorUrl: server.url,
      checksums,
      onProgress: (p) => progress.push({ ...p }),
    });
    expect(data.train.images.shape).toEqual([40, 28, 28]);
    expect(data.test.labels.shape).toEqual([12]);
    expect(data.train.labels.data[13]).toBe(3);
    expect(data.train.images.get(2, 1, 5)).toBe((2 * 7 + 1 * 3 + 5) % 256);
    expect(data.source).toBe(cacheDir);
    expect(readdirSync(cacheDir).sort()).toEqual(Object.keys(files).sort());
    expect(server.requests).toEqual(Object.keys(files));

    for (const [fileIndex, name] of Object.keys(files).entries()) {
      const reports = progress.filter((p) => p.fileName === name);
      const size = files[name]!.length;
      expect(
        reports.every(
          (p) => p.fileIndex === fileIndex && p.fileCount === 4 && p.totalBytes === size,
        ),
      ).toBe(true);
      expect(reports[0]!.receivedBytes).toBe(0);
      expect(reports.at(-1)!.receivedBytes).toBe(size);
      const received = reports.map((p) => p.receivedBytes);
      expect(received).toEqual([...received].sort((a, b) => a - b));
      // Mid-file reports are checked by the cut-short test, where the last one is at half the size.
    }
    expect(progress.at(-1)!.url).toBe(`${server.url}t10k-labels-idx1-ubyte.gz`);

    // Next time the cache answers and the mirror is not asked.
    await server.close();
    const again = await loadFashionMnist({
      ...noLocalCopies,
      cacheDir,
      mirrorUrl: server.url,
      download: false,
    });
    expect(again.train.images.shape).toEqual([40, 28, 28]);
  });

  it('downloads only the files missing from the cache', async () => {
    const server = await mirror();
    const cacheDir = emptyCache();
    server.behaviour.set('t10k-images-idx3-ubyte.gz', 'missing');
    await expect(
      loadFashionMnist({
        ...noLocalCopies,
        cacheDir,
        mirrorUrl: server.url,
        checksums,
        onProgress: () => {},
      }),
    ).rejects.toThrow(/t10k-images-idx3-ubyte\.gz answered HTTP 404 Not Found/);
    expect(readdirSync(cacheDir).sort()).toEqual([
      'train-images-idx3-ubyte.gz',
      'train-labels-idx1-ubyte.gz',
    ]);

    server.behaviour.clear();
    server.requests.length = 0;
    await loadFashionMnist({
      ...noLocalCopies,
      cacheDir,
      mirrorUrl: server.url,
      checksums,
      onProgress: () => {},
    });
    expect(server.requests).toEqual(['t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz']);
  });

  it('rejects a file whose checksum does not match and leaves nothing in place', async () => {
    const server = await mirror();
    const cacheDir = emptyCache();
    server.behaviour.set('train-labels-idx1-ubyte.gz', 'corrupt');
    const error = (await loadFashionMnist({
      ...noLocalCopies,
      cacheDir,
      mirrorUrl: server.url,
      checksums,
      onProgress: () => {},
    }).catch((e: unknown) => e)) as FashionMnistNotFoundError;
    expect(error).toBeInstanceOf(FashionMnistNotFoundError);
    expect(error.tried.at(-1)).toContain(
      `checksum mismatch for train-labels-idx1-ubyte.gz: expected MD5 ${checksums.trainLabels}, got `,
    );
    expect(readdirSync(cacheDir)).toEqual(['train-images-idx3-ubyte.gz']);
  });

  it('uses the official checksums by default, so files from elsewhere are refused', async () => {
    const server = await mirror();
    const cacheDir = emptyCache();
    const error = (await loadFashionMnist({
      ...noLocalCopies,
      cacheDir,
      mirrorUrl: server.url,
      onProgress: () => {},
    }).catch((e: unknown) => e)) as FashionMnistNotFoundError;
    expect(error.tried.at(-1)).toContain('expected MD5 8d4fb7e6c68d591d4c3dfef9ec88bf0d');
    expect(readdirSync(cacheDir)).toEqual([]);
  });

  it('fails cleanly when the connection drops mid-file, leaving no partial file', async () => {
    const server = await mirror();
    const cacheDir = emptyCache();
    server.behaviour.set('train-images-idx3-ubyte.gz', 'cut-short');
    const progress: DownloadProgress[] = [];
    const error = (await loadFashionMnist({
      ...noLocalCopies,
      cacheDir,
      mirrorUrl: server.url,
      checksums,
      onProgress: (p) => progress.push({ ...p }),
    }).catch((e: unknown) => e)) as FashionMnistNotFoundError;
    const size = files['train-images-idx3-ubyte.gz']!.length;
    expect(error.tried.at(-1)).toMatch(
      new RegExp(
        `download of train-images-idx3-ubyte\\.gz was interrupted (after|: got) ${Math.floor(size / 2)}`,
      ),
    );
    expect(progress.at(-1)!.receivedBytes).toBe(Math.floor(size / 2));
    expect(existsSync(cacheDir) ? readdirSync(cacheDir) : []).toEqual([]);
  });

  it('gives up on a stalled server after idleTimeoutMs instead of hanging', async () => {
    const server = await mirror();
    const cacheDir = emptyCache();
    server.behaviour.set('train-images-idx3-ubyte.gz', 'stall');
    const started = Date.now();
    const error = (await loadFashionMnist({
      ...noLocalCopies,
      idleTimeoutMs: 300,
      cacheDir,
      mirrorUrl: server.url,
      checksums,
      onProgress: () => {},
    }).catch((e: unknown) => e)) as FashionMnistNotFoundError;
    expect(error.tried.at(-1)).toContain('was interrupted after');
    expect(error.tried.at(-1)).toContain('no data for 300 ms');
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(readdirSync(cacheDir)).toEqual([]);
  });

  it('reports progress on stderr when no onProgress is given', async () => {
    const server = await mirror();
    const cacheDir = emptyCache();
    const lines: string[] = [];
    const spy = vi
      .spyOn(process.stderr, 'write')
      .mockImplementation((chunk: string | Uint8Array) => {
        lines.push(String(chunk));
        return true;
      });
    cleanups.push(() => spy.mockRestore());
    await loadFashionMnist({ ...noLocalCopies, cacheDir, mirrorUrl: server.url, checksums });
    spy.mockRestore();
    const size = (name: string) => (files[name]!.length / 1e6).toFixed(1);
    expect(lines[0]).toBe(
      `Downloading ${server.url}train-images-idx3-ubyte.gz [1/4] 0.0 MB / ${size('train-images-idx3-ubyte.gz')} MB\n`,
    );
    expect(lines.some((line) => line.includes('t10k-labels-idx1-ubyte.gz [4/4]'))).toBe(true);
  });
});
