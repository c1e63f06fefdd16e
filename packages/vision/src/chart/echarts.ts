// ECharts, tree-shaken to what Convoy's charts use: line series, grids with titles, legends and
// free graphics (the figures' panels), and the SVG renderer — the one that also runs without a
// DOM (server-side rendering to a string), so Node and the browser draw the same chart.

import { LineChart } from 'echarts/charts';
import {
  GraphicComponent,
  GridComponent,
  LegendComponent,
  TitleComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

echarts.use([
  LineChart,
  GridComponent,
  LegendComponent,
  TitleComponent,
  GraphicComponent,
  SVGRenderer,
]);

export { echarts };
/** An ECharts option object (the library's own type). */
export type ChartOption = echarts.EChartsCoreOption;
