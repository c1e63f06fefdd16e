// ECharts, tree-shaken to what Convoy's charts use: line series, grids with titles, legends and
// free graphics (the figures' panels), the SVG renderer — the one that also runs without a DOM
// (server-side rendering to a string), so Node and the browser draw the same chart — and the
// canvas renderer for live charts on a page.
//
// The parts are registered by the first call of chartLibrary(), not by a top-level use() call:
// this package declares "sideEffects": false, and a bundler that trusts it (Vite's production
// build) drops a top-level statement no export needs, which leaves a page's charts without their
// grid, legend or renderer ("Component legend is used but not imported").

import { LineChart } from 'echarts/charts';
import {
  GraphicComponent,
  GridComponent,
  LegendComponent,
  TitleComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer, SVGRenderer } from 'echarts/renderers';

let registered = false;

/** The ECharts API with Convoy's parts registered. */
export function chartLibrary(): typeof echarts {
  if (!registered) {
    echarts.use([
      LineChart,
      GridComponent,
      LegendComponent,
      TitleComponent,
      GraphicComponent,
      SVGRenderer,
      CanvasRenderer,
    ]);
    registered = true;
  }
  return echarts;
}

/** An ECharts option object (the library's own type). */
export type ChartOption = echarts.EChartsCoreOption;
