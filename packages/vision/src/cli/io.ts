// Where the command line writes, so tests can capture it, and the error type for bad usage.

export interface CliIo {
  /** Results and help (stdout). */
  out(text: string): void;
  /** Progress, timing and errors (stderr). */
  err(text: string): void;
}

/** A usage error: printed without a stack trace, exit code 2. */
export class CliError extends Error {
  override name = 'CliError';
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/** Milliseconds since `start`, formatted for the timing lines. */
export function elapsed(start: number): string {
  const ms = performance.now() - start;
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`;
}

/** Writes a text file through a temporary name and a rename, so a failed write leaves no half file. */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const { rename, rm, writeFile } = await import('node:fs/promises');
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, text);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
