// A live chart in the browser: ECharts drawing into a <canvas> the page already has (the
// playground's training curves), from the same options and theme as the SVG and PNG charts
// written in Node, so a chart looks the same in both. Browser only (needs a DOM).

import { type ChartOption, chartLibrary } from './echarts.js';

export interface LiveChartSize {
  width: number;
  height: number;
  /** Device pixels per CSS pixel; default window.devicePixelRatio. */
  devicePixelRatio?: number;
}

export interface LiveChart {
  /** Shows `option`; call it again with the same structure and new data to update. */
  show(option: ChartOption): void;
  /** Follows a new CSS size of the canvas. */
  resize(size: LiveChartSize): void;
  dispose(): void;
}

/** Draws into `canvas` (sized in CSS pixels by `size`), redrawing on each show(). */
export function mountChart(canvas: HTMLCanvasElement, size: LiveChartSize): LiveChart {
  const chart = chartLibrary().init(canvas, null, {
    renderer: 'canvas',
    width: size.width,
    height: size.height,
    devicePixelRatio: size.devicePixelRatio ?? globalThis.devicePixelRatio ?? 1,
  });
  let current = { width: size.width, height: size.height };
  let shown = false;
  return {
    show(option) {
      // The first option builds the chart; later ones are merged into it, which redraws the
      // changed data without rebuilding every component (a live chart updates many times a second).
      chart.setOption({ animation: false, ...option }, { notMerge: !shown, lazyUpdate: true });
      shown = true;
    },
    resize(next) {
      if (next.width === current.width && next.height === current.height) return;
      current = { width: next.width, height: next.height };
      chart.resize({ width: next.width, height: next.height });
    },
    dispose() {
      chart.dispose();
    },
  };
}
