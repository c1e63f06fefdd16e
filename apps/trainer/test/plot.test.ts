// The training-curve picture: a valid PNG of the requested size, with the two series drawn in
// their colours inside each panel, text and axes in ink, and nice axis ticks.

import { decodePng } from '@convoy/vision';
import { describe, expect, it } from 'vitest';
import type { EpochRecord } from '../src/history.js';
import { renderTrainingCurves, TEST_COLOR, TRAIN_COLOR } from '../src/plot/curves.js';
import { drawText, textWidth } from '../src/plot/font.js';
import { type Color, Raster } from '../src/plot/raster.js';
import { epochTicks, niceStep, niceTicks } from '../src/plot/ticks.js';
import { trainingCurvesPng } from '../src/plot/write.js';

const records: EpochRecord[] = [
  { epoch: 1, loss: 0.3504, accuracy: 0.8744, valLoss: 0.31, valAccuracy: 0.889, seconds: 73 },
  { epoch: 2, loss: 0.2155, accuracy: 0.9206, valLoss: 0.27, valAccuracy: 0.905, seconds: 71 },
  { epoch: 3, loss: 0.1614, accuracy: 0.9402, valLoss: 0.255, valAccuracy: 0.918, seconds: 72 },
  { epoch: 4, loss: 0.1191, accuracy: 0.9556, valLoss: 0.25, valAccuracy: 0.921, seconds: 72 },
  { epoch: 5, loss: 0.0837, accuracy: 0.969, valLoss: 0.2573, valAccuracy: 0.924, seconds: 71 },
];

function countColor(
  data: Uint8Array,
  width: number,
  color: Color,
  region: { left: number; right: number },
): number {
  let count = 0;
  for (let offset = 0; offset < data.length; offset += 4) {
    const x = (offset / 4) % width;
    if (x < region.left || x >= region.right) continue;
    if (data[offset] === color[0] && data[offset + 1] === color[1] && data[offset + 2] === color[2])
      count++;
  }
  return count;
}

describe('training curves', () => {
  it('encodes a valid RGBA PNG of the requested size', () => {
    const bytes = trainingCurvesPng(records, { width: 900, height: 360 });
    expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const image = decodePng(bytes);
    expect([image.width, image.height, image.channels]).toEqual([900, 360, 4]);
    const expected = renderTrainingCurves(records, { width: 900, height: 360 }).data;
    // Compared as bytes: a deep equality over a million-element array is very slow.
    expect(Buffer.compare(Buffer.from(image.data as Uint8Array), Buffer.from(expected))).toBe(0);
  });

  it('draws train and test series in both panels, on a white background with dark text', () => {
    const image = renderTrainingCurves(records);
    expect([image.width, image.height]).toEqual([1200, 480]);
    const left = { left: 0, right: 600 };
    const right = { left: 600, right: 1200 };
    for (const panel of [left, right]) {
      // Each series: 5 markers of 7x7 plus 4 thick segments, minus overlaps; well above 200 px.
      expect(countColor(image.data, image.width, TRAIN_COLOR, panel)).toBeGreaterThan(200);
      expect(countColor(image.data, image.width, TEST_COLOR, panel)).toBeGreaterThan(200);
      expect(countColor(image.data, image.width, [34, 34, 34], panel)).toBeGreaterThan(500);
    }
    const white = countColor(image.data, image.width, [255, 255, 255], { left: 0, right: 1200 });
    expect(white / (1200 * 480)).toBeGreaterThan(0.7);
    for (let offset = 3; offset < image.data.length; offset += 4) {
      if (image.data[offset] !== 255) throw new Error(`pixel ${(offset - 3) / 4} is not opaque`);
    }
  });

  it('places a lower loss lower on the picture', () => {
    const image = renderTrainingCurves([records[0]!, records[4]!]);
    // In the loss panel the train series falls from 0.35 to 0.08: its first marker sits higher
    // (smaller y) than its last.
    const rowsOf = (xFrom: number, xTo: number) => {
      const rows: number[] = [];
      for (let y = 0; y < image.height; y++)
        for (let x = xFrom; x < xTo; x++) {
          const offset = (y * image.width + x) * 4;
          if (
            image.data[offset] === TRAIN_COLOR[0] &&
            image.data[offset + 1] === TRAIN_COLOR[1] &&
            image.data[offset + 2] === TRAIN_COLOR[2]
          )
            rows.push(y);
        }
      return rows;
    };
    // Plot area of the left panel runs from x=90 to x=580; epoch 1 at 1/4, epoch 2 at 3/4 of it.
    const firstMarker = rowsOf(90 + 122 - 3, 90 + 122 + 4);
    const lastMarker = rowsOf(90 + 367 - 3, 90 + 367 + 4);
    expect(Math.max(...firstMarker)).toBeLessThan(Math.min(...lastMarker));
  });

  it('handles a single epoch and NaN values without throwing', () => {
    const single = renderTrainingCurves([records[0]!]);
    expect(
      countColor(single.data, single.width, TRAIN_COLOR, { left: 0, right: 600 }),
    ).toBeGreaterThan(40);
    const withNaN = renderTrainingCurves([{ ...records[0]!, loss: Number.NaN }, records[1]!]);
    expect(withNaN.width).toBe(1200);
  });

  it('rejects a picture too small for the layout', () => {
    expect(() => renderTrainingCurves(records, { width: 100, height: 100 })).toThrow(
      'training curves: picture must be at least 400x200, got 100x100',
    );
  });
});

describe('bitmap font', () => {
  it('draws glyphs at the requested scale', () => {
    const raster = new Raster(40, 20, [255, 255, 255]);
    drawText(raster, '1', 0, 0, [0, 0, 0], 2);
    // '1' has a 3-wide foot on its last row: columns 1..3 at scale 2 -> x 2..7, rows 12..13.
    const black = (x: number, y: number) => raster.data[(y * 40 + x) * 4] === 0;
    expect([2, 3, 4, 5, 6, 7].every((x) => black(x, 12) && black(x, 13))).toBe(true);
    expect(black(0, 12) || black(8, 12)).toBe(false);
    expect(textWidth('ab', 2)).toBe(22);
  });
});

describe('axis ticks', () => {
  it('picks 1-2-5 steps and covers the range', () => {
    expect(niceStep(0.07)).toBeCloseTo(0.1, 12);
    expect(niceStep(0.03)).toBeCloseTo(0.05, 12);
    expect(niceStep(1.2)).toBe(2);
    expect(niceTicks(0.0837, 0.3504)).toEqual({
      min: 0,
      max: 0.4,
      step: 0.1,
      values: [0, 0.1, 0.2, 0.3, 0.4],
      decimals: 1,
    });
    const flat = niceTicks(0.9, 0.9);
    expect(flat.min).toBeLessThan(0.9);
    expect(flat.max).toBeGreaterThan(0.9);
    expect(epochTicks(5)).toEqual([1, 2, 3, 4, 5]);
    expect(epochTicks(30)).toEqual([1, 4, 7, 10, 13, 16, 19, 22, 25, 28]);
  });
});
