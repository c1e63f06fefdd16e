// A row of classified test images: one of each class, or the ones the model gets most wrong. Each
// shows the image and what the model says (and what it is, when wrong); clicking one looks inside
// the network with it. The figures are kept and redrawn on each update rather than rebuilt, since
// updates come after every epoch while the page must stay smooth.

import { el } from '../ui/dom.js';
import { drawPixels } from '../ui/heat-canvas.js';
import type { ClassifiedImage } from './protocol.js';

export class ImageGallery {
  readonly element: HTMLElement;
  private shown: ClassifiedImage[] = [];

  constructor(
    testId: string,
    private readonly onPick: (index: number) => void,
    options: {
      /** Figures made up front, before any training starts: a canvas is costly to create. */
      capacity: number;
      /** Caption with the probability of the true class, for the worst-classified row. */
      showTruthProbability?: boolean;
    },
  ) {
    this.element = el('div', { class: 'predictions', testId });
    this.showTruthProbability = options.showTruthProbability ?? false;
    for (let i = 0; i < options.capacity; i++) this.addFigure().hidden = true;
  }

  private readonly showTruthProbability: boolean;

  private addFigure(): HTMLElement {
    const canvas = el('canvas', { attrs: { width: '28', height: '28' } });
    canvas.getContext('2d');
    const figure = el('figure', { class: 'prediction' }, canvas, el('figcaption'));
    const position = this.element.children.length;
    figure.addEventListener('click', () => {
      const image = this.shown[position];
      if (image) this.onPick(image.index);
    });
    this.element.append(figure);
    return figure;
  }

  update(images: readonly ClassifiedImage[], classNames: readonly string[]): void {
    const name = (c: number) => classNames[c] ?? String(c);
    this.shown = [...images];
    while (this.element.children.length < images.length) this.addFigure();
    [...this.element.children].forEach((figure, i) => {
      (figure as HTMLElement).hidden = i >= images.length;
    });
    images.forEach((image, i) => {
      const figure = this.element.children[i] as HTMLElement;
      const right = image.predicted === image.label;
      figure.className = `prediction ${right ? 'right' : 'wrong'}`;
      figure.dataset.index = String(image.index);
      figure.title = `Test image ${image.index}: click to look inside the network with it`;
      drawPixels(figure.querySelector('canvas')!, image.pixels);
      figure.querySelector('figcaption')!.textContent = this.showTruthProbability
        ? `${name(image.label)}: ${(100 * image.labelProbability).toFixed(1)}%, said ${name(image.predicted)}`
        : `${name(image.predicted)} ${(100 * image.confidence).toFixed(0)}%${right ? '' : ` (is ${name(image.label)})`}`;
    });
  }
}
