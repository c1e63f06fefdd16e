// The training-curve picture: loss (left) and accuracy (right) per epoch, train and test, as an
// RGBA image ready for PNG encoding.

import type { EpochRecord } from '../history.js';
import { drawPanel } from './chart.js';
import { type Color, Raster, type RgbaImage } from './raster.js';

// matplotlib's first two default colours, so the picture looks familiar next to the textbook's.
export const TRAIN_COLOR: Color = [31, 119, 180];
export const TEST_COLOR: Color = [255, 127, 14];
const BACKGROUND: Color = [255, 255, 255];

export interface CurveOptions {
  width?: number;
  height?: number;
}

export const DEFAULT_CURVE_SIZE = { width: 1200, height: 480 } as const;

export function renderTrainingCurves(
  records: readonly EpochRecord[],
  options: CurveOptions = {},
): RgbaImage {
  const width = options.width ?? DEFAULT_CURVE_SIZE.width;
  const height = options.height ?? DEFAULT_CURVE_SIZE.height;
  if (width < 400 || height < 200)
    throw new RangeError(
      `training curves: picture must be at least 400x200, got ${width}x${height}`,
    );
  const raster = new Raster(width, height, BACKGROUND);
  const panelWidth = Math.floor(width / 2);
  const series = (train: number[], test: number[]) => [
    { name: 'train', values: train, color: TRAIN_COLOR },
    { name: 'test', values: test, color: TEST_COLOR },
  ];
  drawPanel(raster, {
    left: 0,
    top: 0,
    width: panelWidth,
    height,
    title: 'Loss',
    xLabel: 'Epoch',
    yLabel: 'Loss',
    series: series(
      records.map((record) => record.loss),
      records.map((record) => record.valLoss),
    ),
  });
  drawPanel(raster, {
    left: panelWidth,
    top: 0,
    width: width - panelWidth,
    height,
    title: 'Accuracy',
    xLabel: 'Epoch',
    yLabel: 'Accuracy',
    series: series(
      records.map((record) => record.accuracy),
      records.map((record) => record.valAccuracy),
    ),
  });
  return raster;
}
