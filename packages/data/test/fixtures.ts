// Test fixtures: tiny but well-formed Fashion-MNIST files (gzipped IDX made here), and a
// loopback-only HTTP server that can serve them whole, corrupted, cut short, or stalled.

import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { encodeIdx, FASHION_MNIST_FILES, type FashionMnistFileKey } from '../src/index.js';

export type TinyFiles = Record<string, Uint8Array>;

/**
 * Four gzipped IDX files with `trainCount` and `testCount` 28×28 images. Pixel (r, c) of image i
 * is (i * 7 + r * 3 + c + salt) % 256 and label i is (i + salt) % 10, so tests can check values.
 */
export function tinyFashionMnist(trainCount: number, testCount: number, salt = 0): TinyFiles {
  const images = (count: number) => {
    const data = new Uint8Array(count * 784);
    for (let i = 0; i < count; i++) {
      for (let p = 0; p < 784; p++)
        data[i * 784 + p] = (i * 7 + Math.floor(p / 28) * 3 + (p % 28) + salt) % 256;
    }
    return gzipSync(encodeIdx({ dtype: 'uint8', shape: [count, 28, 28], data }));
  };
  const labels = (count: number) =>
    gzipSync(
      encodeIdx({
        dtype: 'uint8',
        shape: [count],
        data: Uint8Array.from({ length: count }, (_, i) => (i + salt) % 10),
      }),
    );
  const byKey: Record<FashionMnistFileKey, Uint8Array> = {
    trainImages: images(trainCount),
    trainLabels: labels(trainCount),
    testImages: images(testCount),
    testLabels: labels(testCount),
  };
  return Object.fromEntries(FASHION_MNIST_FILES.map((f) => [f.fileName, byKey[f.key]]));
}

export function md5Of(bytes: Uint8Array): string {
  return createHash('md5').update(bytes).digest('hex');
}

/** The checksums option that matches `files`. */
export function checksumsOf(files: TinyFiles): Record<FashionMnistFileKey, string> {
  return Object.fromEntries(
    FASHION_MNIST_FILES.map((f) => [f.key, md5Of(files[f.fileName]!)]),
  ) as Record<FashionMnistFileKey, string>;
}

/** A fresh temporary directory, removed by the returned cleanup. */
export function tempDir(prefix = 'convoy-data-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export function writeFiles(dir: string, files: TinyFiles, only?: string[]): string {
  mkdirSync(dir, { recursive: true });
  for (const [name, bytes] of Object.entries(files)) {
    if (only === undefined || only.includes(name)) writeFileSync(join(dir, name), bytes);
  }
  return dir;
}

/** How the server answers a request for a file. */
export type Behaviour = 'whole' | 'corrupt' | 'cut-short' | 'stall' | 'missing' | 'gzip-encoded';

export interface MirrorServer {
  url: string;
  /** Paths requested so far, in order. */
  requests: string[];
  behaviour: Map<string, Behaviour>;
  close(): Promise<void>;
}

/** Serves `files` on 127.0.0.1 (never another address) in chunks, so progress has steps. */
export async function startMirror(files: TinyFiles): Promise<MirrorServer> {
  const requests: string[] = [];
  const behaviour = new Map<string, Behaviour>();
  const sockets = new Set<import('node:net').Socket>();
  const server: Server = createServer((req, res: ServerResponse) => {
    const name = decodeURIComponent((req.url ?? '/').slice(1));
    requests.push(name);
    const bytes = files[name];
    const mode = behaviour.get(name) ?? 'whole';
    if (bytes === undefined || mode === 'missing') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    if (mode === 'gzip-encoded') {
      // Like a server that marks .gz as Content-Encoding: fetch hands over decoded bytes.
      res.writeHead(200, { 'content-length': bytes.length, 'content-encoding': 'gzip' }).end(bytes);
      return;
    }
    res.writeHead(200, { 'content-length': bytes.length, 'content-type': 'application/gzip' });
    const body = Buffer.from(bytes);
    if (mode === 'corrupt') body[body.length - 9] = body[body.length - 9]! ^ 0xff;
    const half = Math.floor(body.length / 2);
    res.write(body.subarray(0, half));
    if (mode === 'cut-short') {
      // Let the first half arrive, then drop the connection.
      setTimeout(() => res.destroy(), 20);
      return;
    }
    if (mode === 'stall') return; // headers and half the body, then silence
    setTimeout(() => res.end(body.subarray(half)), 5);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    behaviour,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
