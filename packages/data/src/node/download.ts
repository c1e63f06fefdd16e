// Downloading one file into a directory safely: stream to a temporary file, check its MD5, and
// only then rename it into place, so an interrupted or corrupt download never looks like data.

import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fetchBody, type ProgressCallback } from '../progress.js';

export interface DownloadRequest {
  url: string;
  dir: string;
  fileName: string;
  /** Expected MD5 (hex) of the whole file. */
  md5: string;
  fileIndex: number;
  fileCount: number;
  onProgress: ProgressCallback | undefined;
  idleTimeoutMs: number;
}

/** Downloads `url` to `dir/fileName`; returns the final path. Leaves nothing behind on failure. */
export async function downloadVerified(request: DownloadRequest): Promise<string> {
  const { dir, fileName, md5 } = request;
  await mkdir(dir, { recursive: true });
  const finalPath = join(dir, fileName);
  const partPath = join(dir, `.${fileName}.${process.pid}.${randomBytes(4).toString('hex')}.part`);
  const file = await open(partPath, 'wx');
  const hash = createHash('md5');
  let closed = false;
  try {
    await fetchBody({
      ...request,
      fetch: globalThis.fetch,
      // The checksum is of the .gz bytes: ask servers not to re-encode them in transit.
      headers: { 'accept-encoding': 'identity' },
      onChunk: async (chunk) => {
        hash.update(chunk);
        await file.write(chunk);
      },
    });
    await file.close();
    closed = true;
    const actual = hash.digest('hex');
    if (actual !== md5.toLowerCase()) {
      throw new Error(`checksum mismatch for ${fileName}: expected MD5 ${md5}, got ${actual}`);
    }
    await rename(partPath, finalPath);
    return finalPath;
  } finally {
    if (!closed) await file.close().catch(() => {});
    await rm(partPath, { force: true });
  }
}
