// Reading an HTTP response body chunk by chunk with progress reports and an idle timeout, shared
// by the Node downloader and the browser loader.

export interface DownloadProgress {
  fileName: string;
  url: string;
  receivedBytes: number;
  /** From Content-Length; undefined when the server does not say. */
  totalBytes: number | undefined;
  /** Which of the files of this load (0-based) and how many there are. */
  fileIndex: number;
  fileCount: number;
}

export type ProgressCallback = (progress: DownloadProgress) => void;

export interface FetchBodyRequest {
  url: string;
  fileName: string;
  fileIndex: number;
  fileCount: number;
  fetch: typeof globalThis.fetch;
  onProgress: ProgressCallback | undefined;
  /** Give up when no bytes arrive for this long (a stalled server must not hang training). */
  idleTimeoutMs: number;
  onChunk: (chunk: Uint8Array) => void | Promise<void>;
  headers?: Record<string, string>;
}

/** Why an error happened, including the `cause` that fetch errors hide their reason in. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
}

/** Fetches `url`, feeding each chunk to onChunk. Returns the byte count; throws a clear error on failure. */
export async function fetchBody(request: FetchBodyRequest): Promise<number> {
  const { url, fileName, onProgress, idleTimeoutMs } = request;
  const controller = new AbortController();
  let idleTimer: ReturnType<typeof setTimeout> | undefined;
  const armIdleTimer = (): void => {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => controller.abort(), idleTimeoutMs);
  };
  let received = 0;
  let total: number | undefined;
  const report = (): void =>
    onProgress?.({
      fileName,
      url,
      receivedBytes: received,
      totalBytes: total,
      fileIndex: request.fileIndex,
      fileCount: request.fileCount,
    });
  try {
    armIdleTimer();
    let response: Response;
    try {
      response = await request.fetch(url, { signal: controller.signal, headers: request.headers });
    } catch (error) {
      throw new Error(
        `could not fetch ${url}: ${controller.signal.aborted ? `no response in ${idleTimeoutMs} ms` : describeError(error)}`,
      );
    }
    if (!response.ok)
      throw new Error(`${url} answered HTTP ${response.status} ${response.statusText}`);
    // fetch decodes a Content-Encoding itself; Content-Length then counts the encoded bytes.
    const encoding = response.headers.get('content-encoding');
    const length = response.headers.get('content-length');
    const decoded = encoding !== null && encoding !== 'identity';
    total = length === null || decoded ? undefined : Number(length);
    if (response.body === null) throw new Error(`${url} sent no body`);
    report();
    const reader = response.body.getReader();
    for (;;) {
      let result: ReadableStreamReadResult<Uint8Array>;
      try {
        result = await reader.read();
      } catch (error) {
        const why = controller.signal.aborted
          ? `no data for ${idleTimeoutMs} ms`
          : describeError(error);
        throw new Error(
          `download of ${fileName} was interrupted after ${received}${total === undefined ? '' : ` of ${total}`} bytes: ${why}`,
        );
      }
      if (result.done) break;
      armIdleTimer();
      received += result.value.length;
      await request.onChunk(result.value);
      report();
    }
    if (total !== undefined && received !== total) {
      throw new Error(`download of ${fileName} was interrupted: got ${received} of ${total} bytes`);
    }
    return received;
  } finally {
    clearTimeout(idleTimer);
  }
}
