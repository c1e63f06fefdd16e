// Is the page still responsive while the model trains? The browser's Long Tasks API reports every
// main-thread task longer than 50 ms (the RAIL threshold past which input feels late); this
// counts them from the start of a training run and shows the longest. It adds no work of its own
// to the page: a timer polling the event loop would be one more task that can run long when the
// machine is busy (the operating system may pause the page's thread in the middle of any task).

import { el } from '../ui/dom.js';

export class LongTaskMonitor {
  readonly element: HTMLElement;
  private observer: PerformanceObserver | undefined;
  private count = 0;
  private longest = 0;
  private started = false;
  private readonly supported =
    globalThis.PerformanceObserver?.supportedEntryTypes?.includes('longtask') ?? false;

  constructor() {
    this.element = el('div', { class: 'long-tasks', testId: 'long-tasks' });
    this.render();
  }

  /** Starts counting afresh (at the start of a training run). */
  start(): void {
    this.stop();
    this.started = true;
    this.count = 0;
    this.longest = 0;
    this.element.dataset.observing = 'true';
    if (this.supported) {
      this.observer = new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) {
          this.count++;
          this.longest = Math.max(this.longest, entry.duration);
        }
        this.render();
      });
      this.observer.observe({ type: 'longtask' });
    }
    this.render();
  }

  /** Stops counting and keeps the numbers on show. */
  stop(): void {
    if (this.observer) {
      // Entries the browser has queued but not yet delivered belong to this run too.
      for (const entry of this.observer.takeRecords()) {
        this.count++;
        this.longest = Math.max(this.longest, entry.duration);
      }
      this.observer.disconnect();
    }
    this.observer = undefined;
    delete this.element.dataset.observing;
    this.render();
  }

  private render(): void {
    const { dataset } = this.element;
    dataset.longTasks = String(this.count);
    dataset.longestTaskMs = this.longest.toFixed(1);
    if (!this.supported) {
      this.element.textContent =
        'This browser does not report long tasks (PerformanceObserver "longtask"), so responsiveness is not measured.';
      this.element.className = 'long-tasks';
      return;
    }
    if (!this.started) {
      this.element.textContent =
        'Page responsiveness is measured while a model trains: every main-thread task over 50 ms is counted.';
      this.element.className = 'long-tasks';
      return;
    }
    const longTasks =
      this.count === 0
        ? 'no main-thread task over 50 ms'
        : `${this.count} main-thread task${this.count === 1 ? '' : 's'} over 50 ms (longest ${this.longest.toFixed(0)} ms)`;
    const when = this.element.dataset.observing ? 'while training' : 'during the last training run';
    this.element.textContent = `Page responsiveness ${when}: ${longTasks}.`;
    this.element.className = `long-tasks ${this.count === 0 ? 'ok' : 'warn'}`;
  }
}
