// Fashion-MNIST for the model worker: fetched once by URL from the dev/preview server and kept for
// every later training run or opened model. When a file is missing, the server's answer (which
// says how to install the Debian package) is passed on to the page.

import { FASHION_MNIST_FILES, type FashionMnist, loadFashionMnistFromUrl } from '@convoy/data';
import type { FromModelWorker } from './protocol.js';

/** How often the loading progress is reported to the page. */
const PROGRESS_INTERVAL_MS = 100;

let cached: { url: string; data: FashionMnist } | undefined;

/** When a file is missing, the dev server's answer says how to get it; null when all are there. */
async function missingDataMessage(baseUrl: string): Promise<string | null> {
  for (const file of FASHION_MNIST_FILES) {
    const url = `${baseUrl}${file.fileName}`;
    const head = await fetch(url, { method: 'HEAD' });
    if (head.ok) continue;
    const response = await fetch(url);
    const text = response.headers.get('content-type')?.startsWith('text/plain')
      ? await response.text()
      : '';
    return text || `${url} answered ${response.status} ${response.statusText}.`;
  }
  return null;
}

/** The data set, or null (after telling the page why) when it is not served. */
export async function loadData(
  dataUrl: string,
  post: (message: FromModelWorker) => void,
): Promise<FashionMnist | null> {
  if (cached?.url === dataUrl) return cached.data;
  post({ type: 'status', text: 'Looking for Fashion-MNIST…' });
  const missing = await missingDataMessage(dataUrl);
  if (missing) {
    post({ type: 'data-missing', message: missing });
    return null;
  }
  const received = new Map<string, [number, number]>();
  let lastPost = 0;
  const data = await loadFashionMnistFromUrl({
    baseUrl: dataUrl,
    onProgress: (progress) => {
      received.set(progress.fileName, [
        progress.receivedBytes,
        progress.totalBytes ?? progress.receivedBytes,
      ]);
      // Chunks arrive hundreds of times a second; each message is a task on the page's thread.
      if (performance.now() - lastPost < PROGRESS_INTERVAL_MS) return;
      lastPost = performance.now();
      const [got, total] = [...received.values()].reduce(
        ([a, b], [c, d]) => [a + c, b + d],
        [0, 0],
      );
      post({
        type: 'status',
        text: `Loading Fashion-MNIST: ${(got / 1e6).toFixed(1)} of ${(total / 1e6).toFixed(1)} MB…`,
      });
    },
  });
  cached = { url: dataUrl, data };
  return data;
}
