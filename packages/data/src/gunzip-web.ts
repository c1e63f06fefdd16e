// gzip decompression with the platform's own DecompressionStream (browsers, Deno, Node >= 18).

import { isGzip } from './fashion-mnist.js';

/** Decompresses gzip bytes; bytes that are not gzip (a server already decoded them) pass through. */
export async function gunzipWeb(bytes: Uint8Array, name: string): Promise<Uint8Array> {
  if (!isGzip(bytes)) return bytes;
  try {
    const stream = new Blob([bytes as Uint8Array<ArrayBuffer>])
      .stream()
      .pipeThrough(new DecompressionStream('gzip'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (error) {
    throw new Error(
      `${name} is not valid gzip data: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
