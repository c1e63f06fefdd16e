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
