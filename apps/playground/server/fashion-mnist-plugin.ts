// A Vite plugin that serves the Fashion-MNIST files to the playground in dev and preview: the
// four gzipped IDX files are streamed from a directory on this machine (by default the Debian
// package `dataset-fashion-mnist`) at /data/fashion-mnist/<name>. They are sent as opaque gzip
// bytes (no Content-Encoding), because @convoy/data decompresses them itself.

import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { Connect, Plugin } from 'vite';

export const FASHION_MNIST_FILES = [
  'train-images-idx3-ubyte.gz',
  'train-labels-idx1-ubyte.gz',
  't10k-images-idx3-ubyte.gz',
  't10k-labels-idx1-ubyte.gz',
] as const;

export const DEBIAN_FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

export interface FashionMnistPluginOptions {
  /** Where the four .gz files live. Default: the Debian package's directory. */
  directory?: string;
  /** The URL prefix they are served under. Default: '/data/fashion-mnist/'. */
  route?: string;
}

/** The text a missing file answers with; the page shows it to the learner. */
export function missingDataMessage(directory: string, name: string): string {
  return (
    `Fashion-MNIST file ${name} is not in ${directory}. ` +
    'Install the Debian package with `sudo apt-get install dataset-fashion-mnist`, ' +
    'or start the playground with CONVOY_FASHION_MNIST_DIR pointing at a directory holding the four ' +
    'official .gz files, then reload the page.'
  );
}

/** The connect middleware on its own, so it can be tested without a Vite server. */
export function fashionMnistMiddleware(
  options: FashionMnistPluginOptions = {},
): Connect.NextHandleFunction {
  const directory = options.directory ?? DEBIAN_FASHION_MNIST_DIR;
  const route = options.route ?? '/data/fashion-mnist/';
  const known = new Set<string>(FASHION_MNIST_FILES);

  return (request: IncomingMessage, response: ServerResponse, next: Connect.NextFunction) => {
    const path = (request.url ?? '').split('?')[0] ?? '';
    if (!path.startsWith(route)) return next();
    const name = decodeURIComponent(path.slice(route.length));
    // Only the four known names: never turn the URL into an arbitrary path on disk.
    if (!known.has(name)) {
      response.statusCode = 404;
      response.setHeader('Content-Type', 'text/plain; charset=utf-8');
      response.end(
        `Not a Fashion-MNIST file: ${JSON.stringify(name)}; expected one of ${FASHION_MNIST_FILES.join(', ')}`,
      );
      return;
    }
    const file = join(directory, name);
    stat(file).then(
      (info) => {
        response.statusCode = 200;
        response.setHeader('Content-Type', 'application/gzip');
        response.setHeader('Content-Length', String(info.size));
        response.setHeader('Cache-Control', 'no-cache');
        if (request.method === 'HEAD') {
          response.end();
          return;
        }
        const stream = createReadStream(file);
        stream.on('error', (error) => response.destroy(error));
        stream.pipe(response);
      },
      () => {
        response.statusCode = 404;
        response.setHeader('Content-Type', 'text/plain; charset=utf-8');
        response.end(missingDataMessage(directory, name));
      },
    );
  };
}

export function fashionMnistPlugin(options: FashionMnistPluginOptions = {}): Plugin {
  const middleware = fashionMnistMiddleware(options);
  return {
    name: 'convoy:fashion-mnist',
    configureServer(server) {
      server.middlewares.use(middleware);
    },
    configurePreviewServer(server) {
      server.middlewares.use(middleware);
    },
  };
}
