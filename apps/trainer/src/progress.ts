// The Keras 2 progress bar (tf.keras.utils.Progbar, verbose=1): the `Epoch 1/5` header, the
// `1875/1875 [======] - 73s 39ms/step - loss: 0.3504 - accuracy: 0.8744` line, redrawn in place
// on a terminal and written once per epoch as a plain line otherwise (logs, CI, pipes).

import { formatFixed, formatInteger, formatMetric } from './pyformat.js';

export type MetricValues = ReadonlyArray<readonly [name: string, value: number]>;

export interface ProgressLine {
  /** Steps done so far (1-based after the first step). */
  current: number;
  /** Steps in the whole epoch or evaluation. */
  target: number;
  /** Seconds since the bar started. */
  elapsedSeconds: number;
  /** Estimated seconds per step (Keras ignores the first step once there are more). */
  secondsPerStep: number;
  /** Shown as given, in order: `- loss: 0.3504 - accuracy: 0.8744`. */
  metrics: MetricValues;
  /** Bar width in characters; Keras uses 30. */
  width?: number;
}

export const KERAS_BAR_WIDTH = 30;

/** `Epoch 3/5`, the header Keras prints before each epoch's bar. */
export function formatEpochHeader(epoch: number, epochs: number): string {
  return `Epoch ${epoch}/${epochs}`;
}

/** `  32/1875 [>.............................]`: the counter is right-aligned to the target's width. */
export function formatBar(current: number, target: number, width = KERAS_BAR_WIDTH): string {
  if (!Number.isInteger(target) || target < 1)
    throw new RangeError(`progress bar: target must be a positive integer, got ${target}`);
  const digits = String(target).length;
  const progressWidth = Math.trunc((width * current) / target);
  let bar = `${String(current).padStart(digits, ' ')}/${target} [`;
  if (progressWidth > 0) bar += '='.repeat(progressWidth - 1) + (current < target ? '>' : '=');
  bar += '.'.repeat(Math.max(0, width - progressWidth));
  return `${bar}]`;
}

/** Keras's ETA: `45s`, `1:02` past a minute, `1:02:03` past an hour. */
export function formatEta(seconds: number): string {
  const two = (value: number) => formatInteger(value).padStart(2, '0');
  if (seconds > 3600)
    return `${formatInteger(Math.floor(seconds / 3600))}:${two(Math.floor((seconds % 3600) / 60))}:${two(seconds % 60)}`;
  if (seconds > 60) return `${formatInteger(Math.floor(seconds / 60))}:${two(seconds % 60)}`;
  return `${formatInteger(seconds)}s`;
}

/** ` 39ms/step`: whole seconds, milliseconds or microseconds, whichever is at least 1. */
export function formatStepTime(secondsPerStep: number, unit = 'step'): string {
  if (secondsPerStep >= 1 || secondsPerStep === 0)
    return `${formatFixed(secondsPerStep, 0)}s/${unit}`;
  if (secondsPerStep >= 1e-3) return `${formatFixed(secondsPerStep * 1e3, 0)}ms/${unit}`;
  return `${formatFixed(secondsPerStep * 1e6, 0)}us/${unit}`;
}

/** One whole progress line, finished (`- 73s 39ms/step`) or in flight (`- ETA: 1:02`). */
export function formatProgressLine(line: ProgressLine): string {
  const bar = formatBar(line.current, line.target, line.width ?? KERAS_BAR_WIDTH);
  const finished = line.current >= line.target;
  const timing = finished
    ? ` - ${formatFixed(line.elapsedSeconds, 0)}s ${formatStepTime(line.secondsPerStep)}`
    : ` - ETA: ${formatEta(line.secondsPerStep * (line.target - line.current))}`;
  const metrics = line.metrics
    .map(([name, value]) => ` - ${name}: ${formatMetric(value)}`)
    .join('');
  return bar + timing + metrics;
}

/** Where the bar writes: a stream, and whether it is a terminal (redraw in place). */
export interface ProgressOutput {
  write(text: string): unknown;
  isTTY?: boolean | undefined;
}

export interface ProgressBarOptions {
  target: number;
  output: ProgressOutput;
  /** Minimum seconds between two redraws on a terminal; Keras uses 0.05. */
  intervalSeconds?: number;
  /** The clock in seconds; injectable so tests are exact. */
  now?: () => number;
  /** Steps done before this bar started (a resumed epoch): the time per step counts from there. */
  initial?: number;
}

/** A live bar for one epoch or one evaluation, fed after every step. */
export class ProgressBar {
  readonly target: number;
  private readonly output: ProgressOutput;
  private readonly dynamic: boolean;
  private readonly intervalSeconds: number;
  private readonly now: () => number;
  private readonly start: number;
  private readonly initial: number;
  private timeAfterFirstStep: number | undefined;
  private lastDraw = Number.NEGATIVE_INFINITY;
  private drawnWidth = 0;
  private finished = false;

  constructor(options: ProgressBarOptions) {
    formatBar(0, options.target); // validates the target
    this.target = options.target;
    this.output = options.output;
    this.dynamic = options.output.isTTY === true;
    this.intervalSeconds = options.intervalSeconds ?? 0.05;
    this.now = options.now ?? (() => performance.now() / 1000);
    this.start = this.now();
    this.initial = options.initial ?? 0;
  }

  /** Reports that `current` steps are done, with the metrics to show. Returns the line drawn, if any. */
  update(current: number, metrics: MetricValues): string | undefined {
    if (this.finished) return undefined;
    const now = this.now();
    const secondsPerStep = this.estimateSecondsPerStep(current, now);
    const finished = current >= this.target;
    if (!finished && (!this.dynamic || now - this.lastDraw < this.intervalSeconds))
      return undefined;
    this.lastDraw = now;
    const line = formatProgressLine({
      current,
      target: this.target,
      elapsedSeconds: now - this.start,
      secondsPerStep,
      metrics,
    });
    if (this.dynamic) {
      // Pad with spaces so a shorter line fully covers the previous one.
      const padding = ' '.repeat(Math.max(0, this.drawnWidth - line.length));
      this.output.write(`\r${line}${padding}${finished ? '\n' : ''}`);
      this.drawnWidth = line.length;
    } else {
      this.output.write(`${line}\n`);
    }
    this.finished = finished;
    return line;
  }

  /** Ends a half-drawn terminal line (before printing something else mid-epoch). */
  abandon(): void {
    if (this.dynamic && this.drawnWidth > 0 && !this.finished) this.output.write('\n');
    this.finished = true;
  }

  /** Keras's estimate: the first step (warm-up, compilation) is left out once there are more. */
  private estimateSecondsPerStep(current: number, now: number): number {
    const done = current - this.initial;
    if (done <= 0) return 0;
    const perStep =
      this.timeAfterFirstStep !== undefined && done > 1
        ? (now - this.timeAfterFirstStep) / (done - 1)
        : (now - this.start) / done;
    if (done === 1) this.timeAfterFirstStep = now;
    return perStep;
  }
}
