// Many small maps on one canvas, in rows of tiles one pixel apart: a layer's 64 feature maps or 32
// filters cost one canvas instead of 64. Canvases are costly to create (each 2D context is a
// backing store the compositor must carry), and these are redrawn several times a second while
// training. The layout is kept on the canvas (data-columns, data-tile-width, data-tile-height) so
// a click can be turned back into the map under it.

import type { HeatMap, Range } from './heat-canvas.js';

const GAP = 1;

export interface TileLayout {
  columns: number;
  rows: number;
  tileWidth: number;
  tileHeight: number;
  width: number;
  height: number;
}

export function tileLayout(
  count: number,
  tileWidth: number,
  tileHeight: number,
  maxColumns: number,
): TileLayout {
  const columns = Math.max(1, Math.min(count, maxColumns));
  const rows = Math.ceil(count / columns);
  return {
    columns,
    rows,
    tileWidth,
    tileHeight,
    width: columns * tileWidth + (columns - 1) * GAP,
    height: rows * tileHeight + (rows - 1) * GAP,
  };
}

/** Draws map i of `maps` into tile i; the gaps stay transparent. */
export function drawTiles(
  canvas: HTMLCanvasElement,
  layout: TileLayout,
  maps: readonly HeatMap[],
  range: Range,
): void {
  if (canvas.width !== layout.width) canvas.width = layout.width;
  if (canvas.height !== layout.height) canvas.height = layout.height;
  canvas.dataset.columns = String(layout.columns);
  canvas.dataset.tileWidth = String(layout.tileWidth);
  canvas.dataset.tileHeight = String(layout.tileHeight);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('drawTiles: this browser gives no 2D canvas context');
  const image = context.createImageData(layout.width, layout.height);
  const scale = range.hi > range.lo ? 255 / (range.hi - range.lo) : 0;
  maps.forEach((map, m) => {
    const left = (m % layout.columns) * (layout.tileWidth + GAP);
    const top = Math.floor(m / layout.columns) * (layout.tileHeight + GAP);
    const { values, offset, stride, width } = map;
    const count = map.count ?? map.height * width;
    // Plain index arithmetic, no call per cell: model 1's maps are 100,000 values, redrawn four
    // times a second while it trains.
    for (let cell = 0; cell < count; cell++) {
      const row = Math.floor(cell / width);
      const i = 4 * ((top + row) * layout.width + left + cell - row * width);
      const level = (values[offset + cell * stride]! - range.lo) * scale;
      image.data[i] = image.data[i + 1] = image.data[i + 2] = level;
      image.data[i + 3] = 255;
    }
  });
  context.putImageData(image, 0, 0);
}

/** The tile under a click, or -1 for a gap or past the last tile. */
export function tileAt(canvas: HTMLCanvasElement, event: MouseEvent, count: number): number {
  const box = canvas.getBoundingClientRect();
  const x = ((event.clientX - box.left) * canvas.width) / box.width;
  const y = ((event.clientY - box.top) * canvas.height) / box.height;
  const columns = Number(canvas.dataset.columns);
  const column = Math.floor(x / (Number(canvas.dataset.tileWidth) + GAP));
  const row = Math.floor(y / (Number(canvas.dataset.tileHeight) + GAP));
  const index = row * columns + column;
  return column < columns && index < count ? index : -1;
}
