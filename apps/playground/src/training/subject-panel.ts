// The image the network is being looked at with — a test image picked by number (or by clicking
// one anywhere on the page), or the learner's own drawing — shown as the model sees it (28×28
// gray), with the ten class probabilities the model gives it.

import { button, el } from '../ui/dom.js';
import { drawPixels } from '../ui/heat-canvas.js';
import type { Inspection, Subject } from './protocol.js';

const TEST_IMAGES = 10_000;

export class SubjectPanel {
  readonly element: HTMLElement;
  private readonly indexInput = el('input', {
    testId: 'subject-index',
    attrs: { type: 'number', min: '0', max: String(TEST_IMAGES - 1), step: '1', value: '0' },
  });
  private readonly canvas = el('canvas', {
    class: 'subject-image',
    testId: 'subject-image',
    attrs: { width: '28', height: '28' },
  });
  private readonly caption = el('p', { class: 'subject-caption', testId: 'subject-caption' });
  private readonly bars = el('div', { class: 'probabilities', testId: 'probabilities' });

  constructor(
    private readonly choose: (subject: Subject) => void,
    classNames: readonly string[],
  ) {
    const previous = button('◀', 'subject-previous');
    const next = button('▶', 'subject-next');
    const step = (delta: number) => this.chooseTest(Number(this.indexInput.value) + delta);
    previous.addEventListener('click', () => step(-1));
    next.addEventListener('click', () => step(1));
    this.indexInput.addEventListener('change', () => step(0));
    this.caption.textContent = 'Test image 0';
    // The 2D context and the rows are made now, not during training: making a context is costly
    // (see ui/tiles.ts), and a training run should only change numbers, never the page's layout.
    this.canvas.getContext('2d');
    this.makeRows(classNames.length);
    classNames.forEach((name, c) => {
      this.bars.children[c]!.firstElementChild!.textContent = name;
    });
    this.element = el(
      'div',
      { class: 'panel-section subject' },
      el('h3', { text: 'The image the network looks at' }),
      el(
        'div',
        { class: 'controls' },
        el('label', { class: 'field' }, el('span', { text: 'Test image' }), this.indexInput),
        el('div', { class: 'button-group' }, previous, next),
      ),
      el('div', { class: 'subject-row' }, el('figure', {}, this.canvas, this.caption), this.bars),
    );
  }

  /** Looks at test image `index` (clamped to the test set). */
  chooseTest(index: number): void {
    const clamped = Math.max(0, Math.min(TEST_IMAGES - 1, Math.round(index) || 0));
    this.indexInput.value = String(clamped);
    this.choose({ kind: 'test', index: clamped });
  }

  private makeRows(count: number): void {
    while (this.bars.children.length > count) this.bars.lastElementChild!.remove();
    while (this.bars.children.length < count) {
      this.bars.append(
        el(
          'div',
          { class: 'probability' },
          el('span', { class: 'class-name' }),
          el('span', { class: 'bar' }, el('span', { class: 'fill' })),
          el('span', { class: 'percent', text: '–' }),
        ),
      );
    }
  }

  show(inspection: Inspection, classNames: readonly string[]): void {
    const name = (c: number) => classNames[c] ?? `class ${c}`;
    drawPixels(this.canvas, inspection.pixels);
    const { subject, label, probabilities } = inspection;
    this.caption.textContent =
      subject.kind === 'test'
        ? `Test image ${subject.index}${label === undefined ? '' : `: ${name(label)}`}`
        : 'Your picture, as the model sees it';
    let predicted = 0;
    probabilities.forEach((p, c) => {
      if (p > probabilities[predicted]!) predicted = c;
    });
    this.bars.dataset.predicted = String(predicted);
    this.makeRows(probabilities.length);
    probabilities.forEach((p, c) => {
      const row = this.bars.children[c] as HTMLElement;
      row.className = `probability${c === predicted ? ' predicted' : ''}${c === label ? ' truth' : ''}`;
      row.dataset.class = String(c);
      row.dataset.value = String(p);
      (row.children[0] as HTMLElement).textContent = name(c);
      (row.children[1]!.firstElementChild as HTMLElement).style.width = `${(100 * p).toFixed(1)}%`;
      (row.children[2] as HTMLElement).textContent = `${(100 * p).toFixed(1)}%`;
    });
  }
}
