// One line-chart panel: frame, grid, tick labels, axis labels, title, series with markers and a
// legend. The training-curve picture puts two of these side by side.

import { drawText, drawTextVertical, textHeight, textWidth } from './font.js';
import type { Color, Raster } from './raster.js';
import { epochTicks, niceTicks } from './ticks.js';

export interface Series {
  name: string;
  /** One value per epoch, epoch 1 first. */
  values: readonly number[];
  color: Color;
}

export interface PanelOptions {
  /** The panel's box inside the raster. */
  left: number;
  top: number;
  width: number;
  height: number;
  title: string;
  xLabel: string;
  yLabel: string;
  series: readonly Series[];
  /** Fixed y range (for accuracy, 0..1 is misleading at 0.9+; leave unset to fit the data). */
  yRange?: readonly [number, number];
}

export const INK: Color = [34, 34, 34];
const GRID: Color = [225, 225, 225];
const FRAME: Color = [110, 110, 110];
const TEXT_SCALE = 2;
const LINE_THICKNESS = 2;
const MARKER_SIZE = 7;

export function drawPanel(raster: Raster, options: PanelOptions): void {
  const glyphHeight = textHeight(TEXT_SCALE);
  const plotLeft = options.left + 90;
  const plotTop = options.top + glyphHeight + 24;
  const plotRight = options.left + options.width - 20;
  const plotBottom = options.top + options.height - (glyphHeight * 2 + 30);
  const plotWidth = plotRight - plotLeft;
  const plotHeight = plotBottom - plotTop;

  const epochs = Math.max(1, ...options.series.map((series) => series.values.length));
  const finite = options.series.flatMap((series) => series.values.filter(Number.isFinite));
  const [low, high] = options.yRange ?? [
    finite.length > 0 ? Math.min(...finite) : 0,
    finite.length > 0 ? Math.max(...finite) : 1,
  ];
  // 5% of room above and below keeps markers off the frame.
  const margin = (high - low) * 0.05;
  const yTicks = niceTicks(low - margin, high + margin, 5);
  // Half an epoch of room on each side keeps the first and last markers off the frame.
  const xMin = 0.5;
  const xMax = epochs + 0.5;
  const toX = (epoch: number) => plotLeft + ((epoch - xMin) / (xMax - xMin)) * plotWidth;
  const toY = (value: number) =>
    plotBottom - ((value - yTicks.min) / (yTicks.max - yTicks.min)) * plotHeight;

  for (const value of yTicks.values) {
    const y = Math.round(toY(value));
    raster.fillRect(plotLeft, y, plotWidth, 1, GRID);
    const label = value.toFixed(yTicks.decimals);
    drawText(
      raster,
      label,
      plotLeft - 8 - textWidth(label, TEXT_SCALE),
      y - glyphHeight / 2,
      INK,
      TEXT_SCALE,
    );
  }
  for (const epoch of epochTicks(epochs)) {
    const x = Math.round(toX(epoch));
    raster.fillRect(x, plotTop, 1, plotHeight, GRID);
    raster.fillRect(x, plotBottom, 1, 6, FRAME);
    const label = String(epoch);
    drawText(raster, label, x - textWidth(label, TEXT_SCALE) / 2, plotBottom + 10, INK, TEXT_SCALE);
  }
  raster.strokeRect(plotLeft, plotTop, plotWidth + 1, plotHeight + 1, FRAME);

  drawText(
    raster,
    options.title,
    plotLeft + (plotWidth - textWidth(options.title, TEXT_SCALE)) / 2,
    options.top + 8,
    INK,
    TEXT_SCALE,
  );
  drawText(
    raster,
    options.xLabel,
    plotLeft + (plotWidth - textWidth(options.xLabel, TEXT_SCALE)) / 2,
    plotBottom + glyphHeight + 20,
    INK,
    TEXT_SCALE,
  );
  drawTextVertical(
    raster,
    options.yLabel,
    options.left + 6,
    plotTop + (plotHeight - textWidth(options.yLabel, TEXT_SCALE)) / 2,
    INK,
    TEXT_SCALE,
  );

  for (const series of options.series) drawSeries(raster, series, toX, toY);
  // The legend goes in the right-hand corner (top or bottom) that covers fewer data points.
  const points = options.series.flatMap((series) =>
    series.values.flatMap((value, index) =>
      Number.isFinite(value) ? [[toX(index + 1), toY(value)] as const] : [],
    ),
  );
  const size = legendSize(options.series);
  const covered = (top: number) =>
    points.filter(
      ([x, y]) =>
        x >= plotRight - 8 - size.width - MARKER_SIZE &&
        y >= top - MARKER_SIZE &&
        y <= top + size.height + MARKER_SIZE,
    ).length;
  const topCorner = plotTop + 8;
  const bottomCorner = plotBottom - 8 - size.height;
  const legendTop = covered(bottomCorner) < covered(topCorner) ? bottomCorner : topCorner;
  drawLegend(raster, options.series, plotRight - 8, legendTop);
}

function drawSeries(
  raster: Raster,
  series: Series,
  toX: (epoch: number) => number,
  toY: (value: number) => number,
): void {
  let previous: [number, number] | undefined;
  series.values.forEach((value, index) => {
    if (!Number.isFinite(value)) {
      previous = undefined; // a NaN epoch breaks the line instead of drawing to nowhere
      return;
    }
    const point: [number, number] = [toX(index + 1), toY(value)];
    if (previous)
      raster.drawLine(previous[0], previous[1], point[0], point[1], series.color, LINE_THICKNESS);
    raster.drawMarker(point[0], point[1], MARKER_SIZE, series.color);
    previous = point;
  });
}

const LEGEND_SWATCH = 24;

function legendSize(series: readonly Series[]): { width: number; height: number } {
  const rowHeight = textHeight(TEXT_SCALE) + 10;
  const labelWidth = Math.max(...series.map((item) => textWidth(item.name, TEXT_SCALE)));
  return { width: LEGEND_SWATCH + labelWidth + 30, height: series.length * rowHeight + 10 };
}

/** A boxed legend whose top-right corner is at (right, top). */
function drawLegend(raster: Raster, series: readonly Series[], right: number, top: number): void {
  const glyphHeight = textHeight(TEXT_SCALE);
  const swatch = LEGEND_SWATCH;
  const rowHeight = glyphHeight + 10;
  const { width, height } = legendSize(series);
  const left = right - width;
  raster.fillRect(left, top, width, height, [255, 255, 255]);
  raster.strokeRect(left, top, width, height, FRAME);
  series.forEach((item, index) => {
    const rowTop = top + 8 + index * rowHeight;
    const middle = rowTop + glyphHeight / 2;
    raster.drawLine(left + 8, middle, left + 8 + swatch, middle, item.color, LINE_THICKNESS);
    raster.drawMarker(left + 8 + swatch / 2, middle, MARKER_SIZE, item.color);
    drawText(raster, item.name, left + swatch + 18, rowTop, INK, TEXT_SCALE);
  });
}
