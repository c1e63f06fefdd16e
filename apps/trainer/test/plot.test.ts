// The training-curve picture, drawn by ECharts (SVG) and resvg (PNG): a valid PNG of the
// requested size, the two series in their colours inside each panel, dark text on white, a lower
// loss drawn lower, and the SVG with its titles in DejaVu Sans.

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodePng, type Image, svgToImage } from '@convoy/vision';
import { plotArea, stepX } from '@convoy/vision/chart';
import { describe, expect, it } from 'vitest';
import type { EpochRecord } from '../src/history.js';
import { TEST_COLOR, TRAIN_COLOR, trainingCurvesSvg } from '../src/plot/curves.js';
import { trainingCurvesPng, writeTrainingCurves } from '../src/plot/write.js';

const records: EpochRecord[] = [
  { epoch: 1, loss: 0.3504, accuracy: 0.8744, valLoss: 0.31, valAccuracy: 0.889, seconds: 73 },
  { epoch: 2, loss: 0.2155, accuracy: 0.9206, valLoss: 0.27, valAccuracy: 0.905, seconds: 71 },
  { epoch: 3, loss: 0.1614, accuracy: 0.9402, valLoss: 0.255, valAccuracy: 0.918, seconds: 72 },
  { epoch: 4, loss: 0.1191, accuracy: 0.9556, valLoss: 0.25, valAccuracy: 0.921, seconds: 72 },
  { epoch: 5, loss: 0.0837, accuracy: 0.969, valLoss: 0.2573, valAccuracy: 0.924, seconds: 71 },
];

const rgbOf = (hex: string) => [1, 3, 5].map((at) => Number.parseInt(hex.slice(at, at + 2), 16));

/** Pixels within a few levels of `color` (a marker's inside is drawn exactly; its rim blends). */
function near(image: Image<Uint8Array>, x: number, y: number, color: number[]): boolean {
  const at = (y * image.width + x) * 4;
  return color.every((value, c) => Math.abs(image.data[at + c]! - value) <= 8);
}

function count(
  image: Image<Uint8Array>,
  region: { left: number; right: number; top?: number; bottom?: number },
  test: (x: number, y: number) => boolean,
): number {
  let found = 0;
  for (let y = region.top ?? 0; y < (region.bottom ?? image.height); y++)
    for (let x = region.left; x < region.right; x++) if (test(x, y)) found++;
  return found;
}

const render = (list: readonly EpochRecord[], size = { width: 1200, height: 480 }) =>
  svgToImage(trainingCurvesSvg(list, size));

describe('training curves', () => {
  it('encodes a valid PNG of the requested size, the same pixels as the SVG drawn', async () => {
    const bytes = await trainingCurvesPng(records, { width: 900, height: 360 });
    expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const image = decodePng(bytes);
    expect([image.width, image.height, image.channels]).toEqual([900, 360, 4]);
    const expected = (await render(records, { width: 900, height: 360 })).data;
    // Compared as bytes: a deep equality over a million-element array is very slow.
    expect(Buffer.compare(Buffer.from(image.data as Uint8Array), Buffer.from(expected))).toBe(0);
  });

  it('draws train and test series in both panels, on a white background with dark text', async () => {
    const image = await render(records);
    expect([image.width, image.height]).toEqual([1200, 480]);
    const train = rgbOf(TRAIN_COLOR);
    const test = rgbOf(TEST_COLOR);
    for (const panel of [
      { left: 0, right: 600 },
      { left: 600, right: 1200 },
    ]) {
      // Each series: 5 markers of 8 px across plus 4 segments 2 px wide; well above 150 px.
      expect(count(image, panel, (x, y) => near(image, x, y, train))).toBeGreaterThan(150);
      expect(count(image, panel, (x, y) => near(image, x, y, test))).toBeGreaterThan(150);
      // Titles, tick labels and axis names in dark ink (anti-aliased: any dark gray counts).
      const dark = (x: number, y: number) =>
        [0, 1, 2].every((c) => image.data[(y * image.width + x) * 4 + c]! < 110);
      expect(count(image, panel, dark)).toBeGreaterThan(400);
    }
    const white = count(image, { left: 0, right: 1200 }, (x, y) =>
      near(image, x, y, [255, 255, 255]),
    );
    expect(white / (1200 * 480)).toBeGreaterThan(0.7);
    for (let offset = 3; offset < image.data.length; offset += 4) {
      if (image.data[offset] !== 255) throw new Error(`pixel ${(offset - 3) / 4} is not opaque`);
    }
  });

  it('places a lower loss lower on the picture', async () => {
    const image = await render([records[0]!, records[4]!]);
    const area = plotArea({ width: 1200, height: 480 }, 0, 2);
    const train = rgbOf(TRAIN_COLOR);
    // The train loss falls from 0.35 to 0.08: its first marker sits higher (smaller y).
    const rowsNear = (step: number) => {
      const x = Math.round(stepX(area, step, 2));
      const rows: number[] = [];
      for (let y = area.top; y <= area.bottom; y++)
        for (let dx = -2; dx <= 2; dx++) if (near(image, x + dx, y, train)) rows.push(y);
      return rows;
    };
    const first = rowsNear(1);
    const last = rowsNear(2);
    expect(first.length).toBeGreaterThan(0);
    expect(last.length).toBeGreaterThan(0);
    expect(Math.max(...first)).toBeLessThan(Math.min(...last));
  });

  it('handles a single epoch and NaN values without throwing', async () => {
    const single = await render([records[0]!]);
    const train = rgbOf(TRAIN_COLOR);
    expect(
      count(single, { left: 0, right: 600 }, (x, y) => near(single, x, y, train)),
    ).toBeGreaterThan(20);
    const withNaN = await render([{ ...records[0]!, loss: Number.NaN }, records[1]!]);
    expect(withNaN.width).toBe(1200);
  });

  it('rejects a picture too small for the layout', () => {
    expect(() => trainingCurvesSvg(records, { width: 100, height: 100 })).toThrow(
      'training curves: picture must be at least 400x200, got 100x100',
    );
  });

  it('writes the PNG under its usual name and the SVG beside it, titles in DejaVu Sans', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'convoy-curves-'));
    try {
      await writeTrainingCurves(join(dir, 'training-curves.png'), records);
      const png = decodePng(await readFile(join(dir, 'training-curves.png')));
      expect([png.width, png.height]).toEqual([1200, 480]);
      const svg = await readFile(join(dir, 'training-curves.svg'), 'utf8');
      expect(svg).toMatch(/<text [^>]*DejaVu Sans[^>]*>Loss<\/text>/);
      expect(svg).toMatch(/>Accuracy<\/text>/);
      expect(svg).toMatch(/>train<\/text>/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
