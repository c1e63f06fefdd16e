// gzip decompression with Node's own zlib (runs on libuv's thread pool, so the four files
// decompress in parallel).

import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';

const gunzipAsync = promisify(gunzip);

/**
 * The most bytes one file may decompress to (1 GiB; Fashion-MNIST's largest is 47 MB): a small
 * gzip file can expand without bound, so zlib stops at the limit instead of allocating on.
 */
export const MAX_GUNZIP_BYTES = 2 ** 30;

export async function gunzipNode(
  bytes: Uint8Array,
  name: string,
  limit = MAX_GUNZIP_BYTES,
): Promise<Uint8Array> {
  try {
    const out = await gunzipAsync(bytes, { maxOutputLength: limit });
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE')
      throw new Error(`${name} decompresses to more than ${limit} bytes, the limit for one file`);
    throw new Error(
      `${name} is not valid gzip data: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
