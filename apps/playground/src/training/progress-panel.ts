// Training progress: epoch, batch, running loss and accuracy, test accuracy, the time per batch
// and what it means for a whole epoch of 60,000 images, the curves (chart.ts), and a table of the
// time per batch each textbook model took in this browser — why model 1 starts on a subset.

import { el } from '../ui/dom.js';
import { TrainingChart } from './chart.js';
import type { BatchRecord, TextbookModelNumber } from './protocol.js';

/** The first batches run while WebAssembly is still being optimized: not counted in the median. */
const WARM_UP_BATCHES = 5;

function stat(name: string, testId: string): { element: HTMLElement; value: HTMLElement } {
  const value = el('div', { class: 'value', testId, text: '–' });
  return {
    element: el('div', { class: 'stat' }, value, el('div', { class: 'name', text: name })),
    value,
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function formatDuration(seconds: number): string {
  if (seconds < 90) return `${seconds.toFixed(0)} s`;
  if (seconds < 5400) return `${(seconds / 60).toFixed(1)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

export class ProgressPanel {
  readonly element: HTMLElement;
  private readonly epoch = stat('epoch', 'training-epoch');
  private readonly batch = stat('batch', 'training-batch-number');
  private readonly loss = stat('loss', 'training-loss');
  private readonly accuracy = stat('accuracy', 'training-accuracy');
  private readonly testAccuracy = stat('test accuracy', 'training-test-accuracy');
  private readonly speed = stat('ms / batch', 'training-speed');
  private readonly epochEstimate = stat('epoch of 60,000', 'training-epoch-estimate');
  private readonly chart = new TrainingChart();
  private readonly timesTable = el('table', { class: 'batch-times', testId: 'batch-times' });
  private readonly measured = new Map<
    TextbookModelNumber,
    { milliseconds: number; batchSize: number; workers: number }
  >();
  private stepsPerEpoch = 1;
  private batchSize = 32;
  private run: { model: TextbookModelNumber; workers: number; times: number[] } | undefined;

  constructor() {
    this.element = el(
      'div',
      {},
      el(
        'div',
        { class: 'stats' },
        ...[
          this.epoch,
          this.batch,
          this.loss,
          this.accuracy,
          this.testAccuracy,
          this.speed,
          this.epochEstimate,
        ].map((s) => s.element),
      ),
      this.chart.canvas,
      el('p', {
        class: 'status',
        text: 'Loss and accuracy are running means over the current epoch, as Keras prints them, so they restart with each epoch.',
      }),
      el('h3', { text: 'Time per batch in this browser' }),
      this.timesTable,
    );
    this.renderTimes();
  }

  begin(options: {
    model: TextbookModelNumber;
    stepsPerEpoch: number;
    epochs: number;
    batchSize: number;
    workers: number;
  }): void {
    this.stepsPerEpoch = options.stepsPerEpoch;
    this.batchSize = options.batchSize;
    this.run = { model: options.model, workers: options.workers, times: [] };
    for (const s of [
      this.epoch,
      this.batch,
      this.loss,
      this.accuracy,
      this.testAccuracy,
      this.speed,
      this.epochEstimate,
    ]) {
      s.value.textContent = '–';
    }
    this.chart.reset(options.stepsPerEpoch * options.epochs);
  }

  addBatches(items: readonly BatchRecord[]): void {
    const run = this.run;
    if (!run || items.length === 0) return;
    // The chart redraws at its own pace (a few times a second) however often points come.
    for (const item of items) {
      run.times.push(item.milliseconds);
      this.chart.add({
        step: item.epoch * this.stepsPerEpoch + item.batch + 1,
        loss: item.loss,
        accuracy: item.accuracy,
      });
    }
    const last = items.at(-1)!;
    this.epoch.value.textContent = String(last.epoch + 1);
    this.batch.value.textContent = `${last.batch + 1} / ${this.stepsPerEpoch}`;
    this.loss.value.textContent = last.loss.toFixed(4);
    this.accuracy.value.textContent = `${(100 * last.accuracy).toFixed(1)}%`;
    const recent = median(run.times.slice(-20));
    this.speed.value.textContent = recent < 10 ? recent.toFixed(2) : recent.toFixed(0);
    const batchesFor60000 = Math.ceil(60_000 / this.batchSize);
    this.epochEstimate.value.textContent = `≈ ${formatDuration((recent * batchesFor60000) / 1000)}`;
  }

  setTestAccuracy(accuracy: number): void {
    this.testAccuracy.value.textContent = Number.isNaN(accuracy)
      ? '–'
      : `${(100 * accuracy).toFixed(1)}%`;
  }

  /** Records the run's median time per batch against its model. */
  end(): void {
    const run = this.run;
    this.run = undefined;
    if (!run) return;
    const counted =
      run.times.length > WARM_UP_BATCHES ? run.times.slice(WARM_UP_BATCHES) : run.times;
    if (counted.length === 0) return;
    this.measured.set(run.model, {
      milliseconds: median(counted),
      batchSize: this.batchSize,
      workers: run.workers,
    });
    this.renderTimes();
  }

  private renderTimes(): void {
    const rows = ([1, 2, 3] as const).map((model) => {
      const time = this.measured.get(model);
      const cells = time
        ? [
            el('td', {
              testId: `batch-time-model-${model}`,
              attrs: { 'data-ms': time.milliseconds.toFixed(3) },
              text: `${time.milliseconds < 10 ? time.milliseconds.toFixed(2) : time.milliseconds.toFixed(0)} ms`,
            }),
            el('td', {
              text: `batch ${time.batchSize}, ${time.workers} thread${time.workers === 1 ? '' : 's'}`,
            }),
          ]
        : [el('td', { text: 'not trained yet' }), el('td')];
      return el('tr', {}, el('th', { text: `Model ${model}` }), ...cells);
    });
    this.timesTable.replaceChildren(...rows);
  }
}
