// Every layer's output for the image being looked at, redrawn as the weights change (the anchor
// is ConvNetJS's MNIST demo): a convolution's channels and the pooled maps as small images, the
// flattened vector and the dense layers as rows of cells. One gray scale per layer (its smallest
// to its largest value) keeps a layer's maps comparable. Click a map to read its numbers.

import { el } from '../ui/dom.js';
import { cellOf, formatValue, type HeatMap, rangeOf } from '../ui/heat-canvas.js';
import { drawTiles, tileAt, tileLayout } from '../ui/tiles.js';
import type { Inspection, LayerMaps } from './protocol.js';

/** Vectors are laid out in rows of this many values (model 1's 12,544 flattened values: 64 rows). */
const VECTOR_COLUMNS = 196;
/** Maps per row of tiles. */
const MAP_COLUMNS = 16;
/** Characters per number in the numbers view (formatValue gives at most 8, as in -1.2e-5). */
const NUMBER_WIDTH = 9;
/** Longer vectors are drawn but not tabulated: a table of thousands of cells helps nobody. */
const MAX_TABLE_VALUES = 1024;

interface Selection {
  layer: number;
  map: number;
}

const isImage = (layer: LayerMaps) => layer.shape.length === 3;
const mapCount = (layer: LayerMaps) => (isImage(layer) ? layer.shape[2]! : 1);

/** Map `map` of a layer as a grid: a channel of an image, or the whole vector in rows. */
function mapGrid(layer: LayerMaps, map: number): HeatMap {
  if (isImage(layer)) {
    const [height, width, channels] = layer.shape as [number, number, number];
    return { height, width, values: layer.values, offset: map, stride: channels };
  }
  const count = layer.values.length;
  const width = Math.min(count, VECTOR_COLUMNS);
  return {
    height: Math.ceil(count / width),
    width,
    values: layer.values,
    offset: 0,
    stride: 1,
    count,
  };
}

/** Screen pixels per value: maps at two or three times their size, short vectors bigger still. */
function zoomFor(layer: LayerMaps): number {
  if (isImage(layer)) return layer.shape[0]! < 20 ? 3 : 2;
  const count = layer.values.length;
  return count <= 16 ? 16 : count <= 256 ? 5 : count <= 1024 ? 3 : 2;
}

const signature = (layers: readonly LayerMaps[]) =>
  layers.map((l) => `${l.name}:${l.shape.join('x')}`).join('|');

export class FeatureMapsPanel {
  readonly element: HTMLElement;
  private readonly layersElement = el('div', { class: 'feature-layers', testId: 'feature-maps' });
  private readonly numbers = el('div', { class: 'feature-numbers' });
  private readonly caption = el('p', { class: 'status' });
  private shownSignature = '';
  private selection: Selection | undefined;
  private inspection: Inspection | undefined;

  constructor() {
    this.element = el(
      'div',
      { class: 'panel-section' },
      el('h3', { text: 'Feature maps, layer by layer' }),
      this.caption,
      this.layersElement,
      this.numbers,
    );
    this.caption.textContent = 'Train or open a model to see what each layer makes of an image.';
  }

  show(inspection: Inspection): void {
    this.inspection = inspection;
    const { layers } = inspection;
    if (signature(layers) !== this.shownSignature) this.build(layers);
    layers.forEach((layer, i) => {
      const range = rangeOf(layer.values);
      const row = this.layersElement.children[i] as HTMLElement;
      row.querySelector('.range')!.textContent =
        `${formatValue(range.lo)} … ${formatValue(range.hi)}`;
      const maps = Array.from({ length: mapCount(layer) }, (_, map) => mapGrid(layer, map));
      const first = maps[0]!;
      const layout = tileLayout(maps.length, first.width, first.height, MAP_COLUMNS);
      const canvas = row.querySelector('canvas')!;
      drawTiles(canvas, layout, maps, range);
      const width = `${layout.width * Number(canvas.dataset.zoom)}px`;
      if (canvas.style.width !== width) canvas.style.width = width;
    });
    this.caption.textContent = `Each layer's output for the image above (weights ${inspection.moment}). Click a map to see its numbers.`;
    this.renderNumbers();
  }

  private build(layers: readonly LayerMaps[]): void {
    this.shownSignature = signature(layers);
    this.selection = undefined;
    this.layersElement.replaceChildren(
      ...layers.map((layer, i) => {
        const canvas = el('canvas', {
          class: isImage(layer) ? 'feature-maps' : 'feature-vector',
          testId: `feature-layer-canvas-${i}`,
          attrs: { title: `${layer.name}: click a map to see its numbers` },
        });
        canvas.dataset.zoom = String(zoomFor(layer));
        canvas.addEventListener('click', (event) => {
          const map = tileAt(canvas, event, mapCount(layer));
          if (map < 0) return;
          this.selection = { layer: i, map };
          this.renderNumbers();
        });
        return el(
          'div',
          {
            class: 'feature-layer',
            testId: `feature-layer-${i}`,
            attrs: { 'data-name': layer.name, 'data-maps': String(mapCount(layer)) },
          },
          el(
            'div',
            { class: 'feature-layer-title' },
            el('strong', { text: layer.name }),
            ` ${layer.className} · ${layer.shape.join('×')} · `,
            el('span', { class: 'range' }),
          ),
          canvas,
        );
      }),
    );
  }

  private renderNumbers(): void {
    const layer = this.selection && this.inspection?.layers[this.selection.layer];
    if (!this.selection || !layer) {
      this.numbers.replaceChildren();
      return;
    }
    const { map } = this.selection;
    const grid = mapGrid(layer, map);
    const title = isImage(layer)
      ? `${layer.name}, map ${map} of ${mapCount(layer)} (${grid.height}×${grid.width})`
      : `${layer.name}, ${layer.values.length} values`;
    if (layer.values.length > MAX_TABLE_VALUES && !isImage(layer)) {
      const flatten =
        layer.className === 'Flatten'
          ? ' They are the pooled maps above, laid out in one row.'
          : '';
      this.numbers.replaceChildren(
        el('p', { class: 'status', text: `${title}: too many to list.${flatten}` }),
      );
      return;
    }
    // The numbers are lines of text, one per row of the map, with each row's exact values in its
    // data-values: a table of 784 cells took the page 12–17 ms to lay out at every update while
    // training, a few lines of text take almost nothing. Only lines that changed are rewritten.
    let block = this.numbers.querySelector<HTMLElement>('.numbers');
    const key = `${this.selection.layer}:${map}`;
    if (!block || block.dataset.key !== key) {
      block = el('div', {
        class: 'numbers',
        testId: 'feature-map-numbers',
        attrs: { 'data-key': key, 'data-layer': layer.name, 'data-map': String(map) },
      });
      for (let r = 0; r < grid.height; r++) block.append(el('div', { class: 'numbers-row' }));
      this.numbers.replaceChildren(el('p', { class: 'numbers-title', text: title }), block);
    }
    for (let r = 0; r < grid.height; r++) {
      const values: number[] = [];
      for (let c = 0; c < grid.width; c++) {
        const value = cellOf(grid, r, c);
        if (!Number.isNaN(value)) values.push(value);
      }
      const row = block.children[r] as HTMLElement;
      const text = values.map((v) => formatValue(v).padStart(NUMBER_WIDTH)).join('');
      if (row.textContent !== text) row.textContent = text;
      row.dataset.values = values.join(' ');
    }
  }
}
