// The first convolution's filters drawn as small images (3×3 for the textbook's models), one per
// filter: what the network has learned to look for in the picture. Weights are signed, so the
// scale is symmetric around zero: mid gray is 0, white the most positive, black the most negative.

import { el } from '../ui/dom.js';
import { drawTiles, tileLayout } from '../ui/tiles.js';
import type { Inspection } from './protocol.js';

/** Filters per row, and how many screen pixels a weight takes (3×3 filters are tiny). */
const FILTER_COLUMNS = 16;
const ZOOM = 12;

export class FiltersPanel {
  readonly element: HTMLElement;
  private readonly canvas = el('canvas', { class: 'filter-tiles', testId: 'filters' });
  private readonly caption = el('p', { class: 'status' });

  constructor() {
    this.element = el(
      'div',
      { class: 'panel-section' },
      el('h3', { text: 'First-layer filters' }),
      this.caption,
      this.canvas,
    );
    this.caption.textContent = 'Train or open a model to see its filters.';
    // The 2D context is made now, not during training: making one is costly (see ui/tiles.ts).
    this.canvas.getContext('2d');
  }

  show(filters: Inspection['filters'], moment: string): void {
    if (!filters) {
      this.caption.textContent = 'This model has no convolution layer.';
      this.canvas.width = this.canvas.height = 0;
      return;
    }
    const [height, width, inChannels, count] = filters.shape as [number, number, number, number];
    let extreme = 0;
    for (const value of filters.values) extreme = Math.max(extreme, Math.abs(value));
    const range = { lo: -extreme || -1, hi: extreme || 1 };
    this.caption.textContent =
      `${filters.layer}: ${count} filters of ${height}×${width}×${inChannels} (${moment}), numbered ` +
      `left to right from 0; gray is 0, white +${extreme.toFixed(2)}, black −${extreme.toFixed(2)}.`;
    // Input channel 0 of each filter: the textbook's models see one gray channel.
    const maps = Array.from({ length: count }, (_, f) => ({
      height,
      width,
      values: filters.values,
      offset: f,
      stride: inChannels * count,
    }));
    const layout = tileLayout(count, width, height, FILTER_COLUMNS);
    drawTiles(this.canvas, layout, maps, range);
    const cssWidth = `${layout.width * ZOOM}px`;
    if (this.canvas.style.width !== cssWidth) this.canvas.style.width = cssWidth;
  }
}
