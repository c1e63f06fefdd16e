// The live training curves: loss (left axis, from 0 to its highest value) and accuracy (right
// axis, 0 to 100%) against the batch number over all epochs. Drawn by ECharts into this canvas
// with the theme and fonts of the trainer's training-curves.png (@convoy/vision/chart), so the
// browser's chart and the one convoy-train writes look alike; redrawn at most four times a second
// however fast the batches arrive (a redraw is a few milliseconds of main-thread work).

import {
  AXIS_COLOR,
  CHART_TEXT_STYLE,
  type ChartOption,
  GRID_COLOR,
  INK_COLOR,
  type LiveChart,
  mountChart,
  SERIES_COLORS,
} from '@convoy/vision/chart';

export interface CurvePoint {
  step: number;
  loss: number;
  accuracy: number;
}

const ACCURACY_COLOR = SERIES_COLORS[0];
const REDRAW_INTERVAL_MS = 250;
const LOSS_COLOR = SERIES_COLORS[1];

/**
 * Points a redraw hands to ECharts at most: a few per pixel column of a 600-pixel chart. A run has
 * thousands of batches, and ECharts' cost grows with the data it is given (4,000 points took
 * ~250 ms a redraw in Chromium here, a few hundred a few milliseconds); the curves are running means, smooth
 * already, so every k-th point (and the newest) draws the same picture.
 */
export const MAX_DRAWN_POINTS = 200;

export function thinPoints(points: readonly CurvePoint[], limit = MAX_DRAWN_POINTS): CurvePoint[] {
  if (points.length <= limit) return [...points];
  const every = Math.ceil(points.length / limit);
  const kept = points.filter((_, i) => i % every === 0);
  if (kept.at(-1) !== points.at(-1)) kept.push(points.at(-1)!);
  return kept;
}

/** The chart's option for the points so far (exported for tests: no DOM needed). */
export function liveCurvesOption(
  allPoints: readonly CurvePoint[],
  totalSteps: number,
): ChartOption {
  const points = thinPoints(allPoints);
  const maxLoss = allPoints.reduce((max, p) => Math.max(max, p.loss), 0.5);
  const axisLine = { show: true, lineStyle: { color: AXIS_COLOR } };
  const splitLine = { lineStyle: { color: GRID_COLOR } };
  return {
    textStyle: CHART_TEXT_STYLE,
    // The legend sits above the plot so the curves never run through it.
    legend: { top: 0, left: 40, textStyle: { ...CHART_TEXT_STYLE, fontSize: 11 }, itemWidth: 18 },
    grid: { left: 48, right: 48, top: 30, bottom: 28 },
    xAxis: {
      type: 'value',
      min: 0,
      max: Math.max(1, totalSteps),
      name: `batch (of ${totalSteps})`,
      nameLocation: 'middle',
      nameGap: 18,
      nameTextStyle: { ...CHART_TEXT_STYLE, fontSize: 11 },
      axisLabel: { show: false },
      axisLine,
      splitLine: { show: false },
    },
    yAxis: [
      {
        type: 'value',
        min: 0,
        max: maxLoss,
        interval: maxLoss / 4,
        axisLabel: { color: INK_COLOR, fontSize: 11, formatter: (v: number) => v.toFixed(2) },
        axisLine,
        splitLine,
      },
      {
        type: 'value',
        min: 0,
        max: 1,
        interval: 0.25,
        axisLabel: {
          color: INK_COLOR,
          fontSize: 11,
          formatter: (v: number) => `${Math.round(v * 100)}%`,
        },
        axisLine,
        splitLine: { show: false },
      },
    ],
    series: [
      {
        type: 'line',
        name: 'loss (left axis)',
        yAxisIndex: 0,
        color: LOSS_COLOR,
        showSymbol: false,
        lineStyle: { width: 1.8 },
        data: points.map((p) => [p.step, p.loss]),
      },
      {
        type: 'line',
        name: 'accuracy (right axis)',
        yAxisIndex: 1,
        color: ACCURACY_COLOR,
        showSymbol: false,
        lineStyle: { width: 1.8 },
        data: points.map((p) => [p.step, p.accuracy]),
      },
    ],
  };
}

export class TrainingChart {
  readonly canvas: HTMLCanvasElement;
  private points: CurvePoint[] = [];
  private totalSteps = 1;
  private frame = 0;
  private chart: LiveChart | undefined;

  constructor() {
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'chart';
    this.canvas.dataset.testid = 'training-chart';
    // Build the (empty) chart as soon as the view is on the page: ECharts's first setup is the
    // one slow call, and it must not land inside a training run as a long main-thread task.
    this.schedule();
  }

  reset(totalSteps: number): void {
    this.points = [];
    this.totalSteps = Math.max(1, totalSteps);
    this.schedule();
  }

  add(point: CurvePoint): void {
    this.points.push(point);
    this.schedule();
  }

  private lastDraw = Number.NEGATIVE_INFINITY;

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      if (performance.now() - this.lastDraw < REDRAW_INTERVAL_MS) {
        this.schedule(); // too soon: look again next frame, so the last points still get drawn
        return;
      }
      this.draw();
    });
  }

  draw(): void {
    // The canvas is sized by CSS; until it is on the page it has no size, so assume the usual.
    const size = {
      width: this.canvas.clientWidth || 600,
      height: this.canvas.clientHeight || 240,
    };
    if (this.chart) this.chart.resize(size);
    else this.chart = mountChart(this.canvas, size);
    this.chart.show(liveCurvesOption(this.points, this.totalSteps));
    this.lastDraw = performance.now();
  }
}
