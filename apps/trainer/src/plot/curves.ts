// The training-curve picture: loss (left) and accuracy (right) per epoch, train and test, as an
// ECharts line chart (@convoy/vision/chart, the theme every Convoy chart shares) rendered to SVG.

import {
  type LinePanel,
  lineChartOption,
  renderChartSvg,
  SERIES_COLORS,
} from '@convoy/vision/chart';
import type { EpochRecord } from '../history.js';

// matplotlib's first two default colours, so the picture looks familiar next to the textbook's.
export const TRAIN_COLOR = SERIES_COLORS[0];
export const TEST_COLOR = SERIES_COLORS[1];

export interface CurveOptions {
  width?: number;
  height?: number;
}

export const DEFAULT_CURVE_SIZE = { width: 1200, height: 480 } as const;

export function curveSize(options: CurveOptions = {}): { width: number; height: number } {
  const width = options.width ?? DEFAULT_CURVE_SIZE.width;
  const height = options.height ?? DEFAULT_CURVE_SIZE.height;
  if (!(width >= 400 && height >= 200))
    throw new RangeError(
      `training curves: picture must be at least 400x200, got ${width}x${height}`,
    );
  return { width, height };
}

/** The two panels, each with a train and a test series. */
export function trainingCurvePanels(records: readonly EpochRecord[]): LinePanel[] {
  const panel = (title: string, train: number[], test: number[]): LinePanel => ({
    title,
    xLabel: 'Epoch',
    yLabel: title,
    series: [
      { name: 'train', values: train, color: TRAIN_COLOR },
      { name: 'test', values: test, color: TEST_COLOR },
    ],
  });
  return [
    panel(
      'Loss',
      records.map((record) => record.loss),
      records.map((record) => record.valLoss),
    ),
    panel(
      'Accuracy',
      records.map((record) => record.accuracy),
      records.map((record) => record.valAccuracy),
    ),
  ];
}

/** The picture as an SVG document. */
export function trainingCurvesSvg(
  records: readonly EpochRecord[],
  options: CurveOptions = {},
): string {
  const size = curveSize(options);
  return renderChartSvg(lineChartOption(trainingCurvePanels(records), size), size);
}
