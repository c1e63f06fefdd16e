// @convoy/vision/chart: Convoy's charts on ECharts — the shared theme, line-chart panels, SVG
// rendering without a DOM, and a live chart on a page's canvas. Browser-safe; the PNG rasterizer
// (svgToImage, svgToPng: Node) is exported from '@convoy/vision'.

export type { ChartOption } from './echarts.js';
export {
  type LineChartLayout,
  type LinePanel,
  type LineSeries,
  lineChartOption,
  PANEL_MARGINS,
  plotArea,
  stepX,
} from './line-chart.js';
export { type LiveChart, type LiveChartSize, mountChart } from './mount.js';
export { type ChartSize, renderChartSvg } from './render-svg.js';
export {
  AXIS_COLOR,
  BACKGROUND_COLOR,
  CHART_FONT_FAMILY,
  CHART_TEXT_STYLE,
  GRID_COLOR,
  INK_COLOR,
  SERIES_COLORS,
} from './theme.js';
