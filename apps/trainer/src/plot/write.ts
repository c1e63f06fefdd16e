// Encodes the training-curve picture as PNG (through @convoy/vision) and writes it atomically.

import { encodePng } from '@convoy/vision';
import { writeFileAtomic } from '../atomic.js';
import type { EpochRecord } from '../history.js';
import { type CurveOptions, renderTrainingCurves } from './curves.js';

export const CURVES_FILE = 'training-curves.png';

export function trainingCurvesPng(
  records: readonly EpochRecord[],
  options?: CurveOptions,
): Uint8Array {
  const image = renderTrainingCurves(records, options);
  return encodePng({ width: image.width, height: image.height, channels: 4, data: image.data });
}

export async function writeTrainingCurves(
  path: string,
  records: readonly EpochRecord[],
  options?: CurveOptions,
): Promise<void> {
  await writeFileAtomic(path, trainingCurvesPng(records, options));
}
