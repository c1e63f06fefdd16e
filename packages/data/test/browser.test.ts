// The browser entry: loading by URL with fetch + DecompressionStream (run here in Node, against a
// loopback server), and a check that nothing Node-only is reachable from src/browser.ts.

import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import * as browserEntry from '../src/browser.js';
import { type DownloadProgress, loadFashionMnistFromUrl } from '../src/browser.js';
import { startMirror, tinyFashionMnist } from './fixtures.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function mirror() {
  const server = await startMirror(tinyFashionMnist(20, 8, 3));
  cleanups.push(() => server.close());
  return server;
}

describe('loadFashionMnistFromUrl', () => {
  it('fetches, decompresses and parses the four files, with progress', async () => {
    const server = await mirror();
    const progress: DownloadProgress[] = [];
    const data = await loadFashionMnistFromUrl({
      baseUrl: server.url,
      onProgress: (p) => progress.push({ ...p }),
    });
    expect(data.train.images.shape).toEqual([20, 28, 28]);
    expect(data.test.images.shape).toEqual([8, 28, 28]);
    expect(Array.from(data.test.labels.data)).toEqual([3, 4, 5, 6, 7, 8, 9, 0]);
    expect(data.train.images.get(1, 0, 0)).toBe(7 + 3);
    expect(data.classNames[9]).toBe('Ankle boot');
    expect(new Set(progress.map((p) => p.fileName)).size).toBe(4);
    expect(progress.filter((p) => p.receivedBytes === p.totalBytes).length).toBeGreaterThanOrEqual(
      4,
    );
  });

  it('accepts files a server already decoded (Content-Encoding: gzip)', async () => {
    const server = await mirror();
    server.behaviour.set('train-images-idx3-ubyte.gz', 'gzip-encoded');
    const data = await loadFashionMnistFromUrl({ baseUrl: server.url.slice(0, -1) });
    expect(data.train.images.shape).toEqual([20, 28, 28]);
  });

  it('says which URL failed', async () => {
    const server = await mirror();
    server.behaviour.set('t10k-labels-idx1-ubyte.gz', 'missing');
    await expect(loadFashionMnistFromUrl({ baseUrl: server.url })).rejects.toThrow(
      `loadFashionMnistFromUrl: ${server.url}t10k-labels-idx1-ubyte.gz answered HTTP 404 Not Found`,
    );
  });

  it('rejects corrupt gzip with the URL in the message', async () => {
    const server = await mirror();
    server.behaviour.set('train-labels-idx1-ubyte.gz', 'corrupt');
    await expect(loadFashionMnistFromUrl({ baseUrl: server.url })).rejects.toThrow(
      `loadFashionMnistFromUrl: ${server.url}train-labels-idx1-ubyte.gz is not valid gzip data`,
    );
  });
});

describe('the browser entry', () => {
  it('exports the shared API but not the Node loader', () => {
    expect(typeof browserEntry.parseIdx).toBe('function');
    expect(typeof browserEntry.batches).toBe('function');
    expect('loadFashionMnist' in browserEntry).toBe(false);
  });

  it('imports no node: module, directly or indirectly', () => {
    const srcDir = resolve(dirname(fileURLToPath(import.meta.url)), '../src');
    const seen = new Set<string>();
    const nodeImports: string[] = [];
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(file, 'utf8');
      for (const [, specifier] of text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)) {
        if (specifier!.startsWith('node:')) nodeImports.push(`${file}: ${specifier}`);
        else if (specifier!.startsWith('.'))
          visit(join(dirname(file), specifier!.replace(/\.js$/, '.ts')));
      }
    };
    visit(join(srcDir, 'browser.ts'));
    expect(seen.size).toBeGreaterThan(5);
    expect(nodeImports).toEqual([]);
  });

  it('is what package.json gives browsers', () => {
    const manifest = JSON.parse(
      readFileSync(resolve(dirname(fileURLToPath(import.meta.url)), '../package.json'), 'utf8'),
    );
    expect(manifest.exports['.'].browser.source).toBe('./src/browser.ts');
    expect(manifest.exports['./browser'].source).toBe('./src/browser.ts');
  });
});
