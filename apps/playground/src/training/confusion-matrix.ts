// The confusion matrix on the test images: a row per true class, a column per predicted class,
// each cell the count of test images; the diagonal is what the model gets right. Cells are shaded
// by their share of the row, so the classes the model mixes up (shirts, T-shirts, pullovers,
// coats) stand out. The table is built once and its cells updated after every epoch.

import { el } from '../ui/dom.js';
import type { TestReport } from './protocol.js';

export class ConfusionMatrix {
  readonly element: HTMLElement;
  private readonly table = el('table', { class: 'confusion-matrix', testId: 'confusion-matrix' });
  private readonly caption = el('figcaption', { testId: 'confusion-caption' });
  private builtFor = '';

  /** Built for `classNames` up front, so a training run only changes the numbers in it. */
  constructor(classNames: readonly string[]) {
    this.element = el('figure', { class: 'confusion' }, this.table, this.caption);
    this.build(classNames);
    this.caption.textContent = 'Not measured yet.';
  }

  private build(classNames: readonly string[]): void {
    this.builtFor = classNames.join('|');
    const header = el(
      'tr',
      {},
      el('th', { class: 'corner', text: 'true ↓ / predicted →' }),
      ...classNames.map((name) => el('th', { class: 'column', text: name })),
    );
    const rows = classNames.map((name, truth) =>
      el(
        'tr',
        {},
        el('th', { text: name }),
        ...classNames.map((_, predicted) =>
          el('td', { class: truth === predicted ? 'diagonal' : '', text: '–' }),
        ),
      ),
    );
    this.table.replaceChildren(header, ...rows);
  }

  update(report: TestReport, classNames: readonly string[]): void {
    const name = (c: number) => classNames[c] ?? String(c);
    const names = report.confusion.map((_, c) => name(c));
    if (names.join('|') !== this.builtFor) this.build(names);
    report.confusion.forEach((counts, truth) => {
      const total = counts.reduce((a, b) => a + b, 0);
      const cells = this.table.rows[truth + 1]!.cells;
      counts.forEach((count, predicted) => {
        const cell = cells[predicted + 1]!;
        const share = total === 0 ? 0 : count / total;
        const hue = truth === predicted ? '31, 138, 76' : '192, 57, 43';
        cell.textContent = String(count);
        cell.dataset.count = String(count);
        cell.title = `${count} ${name(truth)} predicted as ${name(predicted)}`;
        cell.style.background = count ? `rgba(${hue}, ${(0.12 + 0.7 * share).toFixed(3)})` : '';
      });
    });
    this.caption.textContent =
      `${report.samples.toLocaleString('en')} test images, ${report.moment}: accuracy ` +
      `${(100 * report.accuracy).toFixed(1)}%, loss ${report.loss.toFixed(4)}.`;
  }
}
