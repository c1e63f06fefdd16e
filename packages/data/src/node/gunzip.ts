// gzip decompression with Node's own zlib (runs on libuv's thread pool, so the four files
// decompress in parallel).

import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';

const gunzipAsync = promisify(gunzip);

export async function gunzipNode(bytes: Uint8Array, name: string): Promise<Uint8Array> {
  try {
    const out = await gunzipAsync(bytes);
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  } catch (error) {
    throw new Error(
      `${name} is not valid gzip data: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
