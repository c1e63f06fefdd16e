// Progress of a long load (decoding tens of thousands of images) on a stream: on a terminal a bar
// redrawn in place, at most ten times a second; otherwise (a log file, CI) a plain line at every
// tenth of the way, so the log stays short and readable.

export interface LoadProgress {
  /** Files done so far. */
  done: number;
  /** Files in this load. */
  total: number;
  /** What is being done, e.g. "loading images" or "writing images". */
  what: string;
}

export type LoadProgressCallback = (progress: LoadProgress) => void;

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

const BAR_WIDTH = 30;
const REDRAW_MS = 100;

/** A progress callback that draws on `stream` (default stderr). */
export function progressReporter(
  stream: ProgressStream = process.stderr,
  now: () => number = () => performance.now(),
): LoadProgressCallback {
  let started = now();
  let lastDraw = Number.NEGATIVE_INFINITY;
  let lastTenth = -1;
  return ({ done, total, what }) => {
    if (done === 0) {
      // A new load (the callback may serve several in a row): restart the clock and the steps.
      started = now();
      lastDraw = Number.NEGATIVE_INFINITY;
      lastTenth = -1;
    }
    const finished = done >= total;
    const seconds = ((now() - started) / 1000).toFixed(1);
    const count = `${done.toLocaleString('en')}/${total.toLocaleString('en')}`;
    if (stream.isTTY) {
      if (!finished && now() - lastDraw < REDRAW_MS) return;
      lastDraw = now();
      const filled = total === 0 ? BAR_WIDTH : Math.floor((done / total) * BAR_WIDTH);
      const bar = `${'='.repeat(Math.max(0, filled - 1))}${filled > 0 ? (finished ? '=' : '>') : ''}`;
      stream.write(
        `\r${what} [${bar.padEnd(BAR_WIDTH, '.')}] ${count} ${seconds}s${finished ? '\n' : ''}`,
      );
      return;
    }
    const tenth = total === 0 ? 10 : Math.floor((done / total) * 10);
    if (tenth === lastTenth && !finished) return;
    if (finished && lastTenth === 10) return;
    lastTenth = tenth;
    stream.write(
      `${what}: ${count} (${Math.floor((done / Math.max(1, total)) * 100)}%) ${seconds}s\n`,
    );
  };
}
