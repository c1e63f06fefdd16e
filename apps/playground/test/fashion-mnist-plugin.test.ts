// The dev/preview middleware that streams Fashion-MNIST from disk, tested over a real HTTP server.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fashionMnistMiddleware } from '../server/fashion-mnist-plugin.js';

let directory: string;
let server: Server;
let base: string;
const payload = new Uint8Array([0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5]);

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'convoy-fmnist-'));
  writeFileSync(join(directory, 'train-labels-idx1-ubyte.gz'), payload);
  writeFileSync(join(directory, 'secret.txt'), 'not served');
  const middleware = fashionMnistMiddleware({ directory });
  server = createServer((request, response) =>
    middleware(request, response, () => {
      response.statusCode = 418;
      response.end('next');
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(directory, { recursive: true, force: true });
});

describe('fashionMnistMiddleware', () => {
  it('streams a present file byte for byte, as opaque gzip', async () => {
    const response = await fetch(`${base}/data/fashion-mnist/train-labels-idx1-ubyte.gz`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/gzip');
    expect(response.headers.get('content-encoding')).toBeNull();
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(payload);
  });

  it('answers a missing file with 404 and how to install the Debian package', async () => {
    const response = await fetch(`${base}/data/fashion-mnist/t10k-images-idx3-ubyte.gz`);
    expect(response.status).toBe(404);
    const text = await response.text();
    expect(text).toContain('t10k-images-idx3-ubyte.gz is not in');
    expect(text).toContain('apt-get install dataset-fashion-mnist');
  });

  it('serves only the four known names, never other files or parent paths', async () => {
    for (const name of ['secret.txt', '..%2Fsecret.txt', 'sub/train-labels-idx1-ubyte.gz']) {
      const response = await fetch(`${base}/data/fashion-mnist/${name}`);
      expect(response.status).toBe(404);
      expect(await response.text()).toContain('Not a Fashion-MNIST file');
    }
  });

  it('passes other URLs on to the next handler', async () => {
    const response = await fetch(`${base}/index.html`);
    expect(response.status).toBe(418);
  });
});
