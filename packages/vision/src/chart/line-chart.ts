// Line-chart panels side by side — the training curves' "loss | accuracy" picture, or any other
// per-step series — as an ECharts option. Each panel is its own grid with a title, axis names and
// nice ticks (ECharts picks them); x runs over whole steps (epochs) with half a step of room at
// each end so the first and last markers stay off the frame; one legend on top serves all panels.

import type { ChartOption } from './echarts.js';
import {
  AXIS_COLOR,
  BACKGROUND_COLOR,
  CHART_TEXT_STYLE,
  GRID_COLOR,
  INK_COLOR,
  SERIES_COLORS,
} from './theme.js';

export interface LineSeries {
  name: string;
  /** One value per step, step 1 first; NaN or Infinity leaves a gap. */
  values: readonly number[];
  /** CSS colour; default the theme's colour for the series' position. */
  color?: string;
}

export interface LinePanel {
  title: string;
  xLabel: string;
  yLabel: string;
  series: readonly LineSeries[];
  /** Fixed [min, max] of the y axis; default fitted to the data. */
  yRange?: readonly [number, number];
}

export interface LineChartLayout {
  width: number;
  height: number;
}

/** Room around each panel's plot area, in pixels (fixed, so tests and callers can find points). */
export const PANEL_MARGINS = { left: 84, right: 24, top: 64, bottom: 56 } as const;

/** Where panel `index` of `count` draws its plot area. */
export function plotArea(
  layout: LineChartLayout,
  index: number,
  count: number,
): { left: number; right: number; top: number; bottom: number } {
  const panelWidth = layout.width / count;
  return {
    left: Math.round(panelWidth * index + PANEL_MARGINS.left),
    right: Math.round(panelWidth * (index + 1) - PANEL_MARGINS.right),
    top: PANEL_MARGINS.top,
    bottom: layout.height - PANEL_MARGINS.bottom,
  };
}

/** The x pixel of step `step` (1-based) in a plot area showing `steps` steps. */
export function stepX(area: { left: number; right: number }, step: number, steps: number): number {
  return area.left + ((step - 0.5) / steps) * (area.right - area.left);
}

export function lineChartOption(
  panels: readonly LinePanel[],
  layout: LineChartLayout,
): ChartOption {
  if (panels.length === 0) throw new RangeError('lineChartOption: expected at least one panel');
  const count = panels.length;
  const areas = panels.map((_, index) => plotArea(layout, index, count));
  const steps = Math.max(1, ...panels.flatMap((panel) => panel.series.map((s) => s.values.length)));
  const names = [...new Set(panels.flatMap((panel) => panel.series.map((s) => s.name)))];
  const axisLine = { lineStyle: { color: AXIS_COLOR } };
  return {
    backgroundColor: BACKGROUND_COLOR,
    textStyle: CHART_TEXT_STYLE,
    title: panels.map((panel, index) => ({
      text: panel.title,
      left: (areas[index]!.left + areas[index]!.right) / 2,
      top: 28,
      textAlign: 'center',
      textStyle: { ...CHART_TEXT_STYLE, fontSize: 16, fontWeight: 'normal' },
    })),
    legend: {
      data: names,
      top: 6,
      left: 'center',
      textStyle: CHART_TEXT_STYLE,
      itemWidth: 24,
    },
    grid: areas.map((area) => ({
      left: area.left,
      width: area.right - area.left,
      top: area.top,
      height: area.bottom - area.top,
      show: true,
      borderColor: AXIS_COLOR,
    })),
    xAxis: panels.map((panel, index) => ({
      gridIndex: index,
      type: 'value',
      min: 0.5,
      max: steps + 0.5,
      minInterval: 1,
      name: panel.xLabel,
      nameLocation: 'middle',
      nameGap: 30,
      nameTextStyle: CHART_TEXT_STYLE,
      axisLine,
      axisTick: { show: true },
      // Only whole steps are labelled; the half steps at the ends are room, not data.
      axisLabel: {
        color: INK_COLOR,
        showMinLabel: false,
        showMaxLabel: false,
        formatter: (value: number) => (Number.isInteger(value) ? String(value) : ''),
      },
      splitLine: { lineStyle: { color: GRID_COLOR } },
    })),
    yAxis: panels.map((panel, index) => ({
      gridIndex: index,
      type: 'value',
      scale: true,
      ...(panel.yRange ? { min: panel.yRange[0], max: panel.yRange[1] } : {}),
      name: panel.yLabel,
      nameLocation: 'middle',
      nameGap: 56,
      nameTextStyle: CHART_TEXT_STYLE,
      axisLine: { show: true, ...axisLine },
      axisLabel: { color: INK_COLOR },
      splitLine: { lineStyle: { color: GRID_COLOR } },
    })),
    series: panels.flatMap((panel, index) =>
      panel.series.map((series, position) => ({
        type: 'line',
        name: series.name,
        xAxisIndex: index,
        yAxisIndex: index,
        data: series.values.map((value, step) => [step + 1, Number.isFinite(value) ? value : null]),
        color: series.color ?? SERIES_COLORS[position % SERIES_COLORS.length],
        symbol: 'circle',
        symbolSize: 8,
        lineStyle: { width: 2 },
        connectNulls: false,
      })),
    ),
  };
}
