// Writes the training-curve picture twice, atomically: as PNG (resvg through @convoy/vision, with
// DejaVu Sans) under the name the trainer has always used, and as SVG beside it.

import { svgToPng } from '@convoy/vision';
import { writeFileAtomic } from '../atomic.js';
import type { EpochRecord } from '../history.js';
import { type CurveOptions, trainingCurvesSvg } from './curves.js';

export const CURVES_FILE = 'training-curves.png';
export const CURVES_SVG_FILE = 'training-curves.svg';

export async function trainingCurvesPng(
  records: readonly EpochRecord[],
  options?: CurveOptions,
): Promise<Uint8Array> {
  return svgToPng(trainingCurvesSvg(records, options));
}

/** Writes `path` (PNG) and the same picture as SVG at `path` with the extension .svg. */
export async function writeTrainingCurves(
  path: string,
  records: readonly EpochRecord[],
  options?: CurveOptions,
): Promise<void> {
  const svg = trainingCurvesSvg(records, options);
  await writeFileAtomic(path.replace(/\.png$/i, '.svg'), svg);
  await writeFileAtomic(path, await svgToPng(svg));
}
