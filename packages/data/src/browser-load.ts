// Loading Fashion-MNIST by URL with fetch and DecompressionStream: the browser's loader (it works in
// Node too). Serve the four official .gz files from any directory of your site.

import {
  assembleFashionMnist,
  FASHION_MNIST_FILES,
  type FashionMnist,
  type FashionMnistBytes,
  type FashionMnistFileKey,
} from './fashion-mnist.js';
import { gunzipWeb } from './gunzip-web.js';
import { fetchBody, type ProgressCallback } from './progress.js';

export interface LoadFashionMnistFromUrlOptions {
  /** The URL of the directory holding the four .gz files (relative URLs resolve against the page). */
  baseUrl: string;
  onProgress?: ProgressCallback;
  /** Give up on a file when no bytes arrive for this long; default 30 s. */
  idleTimeoutMs?: number;
  fetch?: typeof globalThis.fetch;
}

export async function loadFashionMnistFromUrl(
  options: LoadFashionMnistFromUrlOptions,
): Promise<FashionMnist> {
  const { baseUrl, onProgress, idleTimeoutMs = 30_000 } = options;
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  const entries = await Promise.all(
    FASHION_MNIST_FILES.map(async (file, fileIndex): Promise<[FashionMnistFileKey, Uint8Array]> => {
      const url = `${base}${file.fileName}`;
      const chunks: Uint8Array[] = [];
      try {
        await fetchBody({
          url,
          fileName: file.fileName,
          fileIndex,
          fileCount: FASHION_MNIST_FILES.length,
          fetch: fetchImpl,
          onProgress,
          idleTimeoutMs,
          onChunk: (chunk) => {
            chunks.push(chunk);
          },
        });
      } catch (error) {
        throw new Error(
          `loadFashionMnistFromUrl: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      return [file.key, await gunzipWeb(concat(chunks), `loadFashionMnistFromUrl: ${url}`)];
    }),
  );
  return assembleFashionMnist(Object.fromEntries(entries) as FashionMnistBytes, base);
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}
