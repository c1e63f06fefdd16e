// A chart option to an SVG document with ECharts' server-side renderer: no DOM, no canvas, no
// native code, so it runs the same in Node, a worker or a browser.

import { type ChartOption, chartLibrary } from './echarts.js';

export interface ChartSize {
  width: number;
  height: number;
}

export function renderChartSvg(option: ChartOption, size: ChartSize): string {
  const { width, height } = size;
  if (!(Number.isSafeInteger(width) && Number.isSafeInteger(height) && width > 0 && height > 0))
    throw new RangeError(`renderChartSvg: size must be positive integers, got ${width}x${height}`);
  const chart = chartLibrary().init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ animation: false, ...option });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}
