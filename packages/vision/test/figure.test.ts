import { describe, expect, it } from 'vitest';
import { figure, figureSvg, type Image, toUint8 } from '../src/index.js';

function pixel(image: Image<Uint8Array>, x: number, y: number): number[] {
  const at = (y * image.width + x) * image.channels;
  return [...image.data.subarray(at, at + image.channels)];
}

describe('figure', () => {
  const gray: Image<Uint8Array> = {
    width: 4,
    height: 4,
    channels: 1,
    data: Uint8Array.from({ length: 16 }, (_, i) => 100 + i),
  };
  const half: Image<Uint8Array> = {
    width: 2,
    height: 2,
    channels: 1,
    data: Uint8Array.from([0, 50, 50, 100]),
  };

  it('lays panels side by side at one height, framed, with labels under them', async () => {
    const out = await figure([gray, half], {
      labels: ['gray', 'max_pooled'],
      panelHeight: 40,
      gap: 10,
      fontSize: 12,
    });
    expect(out.channels).toBe(3);
    // A label line is 1.25 font sizes tall (15 px), plus a gap.
    const labelHeight = 15 + 10;
    expect(out.height).toBe(10 + 40 + 2 + labelHeight + 10);
    expect(out.width).toBe(10 + (40 + 2 + 10) * 2);
    // Frames are black; panel pixels are stretched min..max like imshow: gray's 100 -> 0, 115 -> 255.
    expect(pixel(out, 10, 10)).toEqual([0, 0, 0]);
    expect(pixel(out, 11, 11)).toEqual([0, 0, 0]);
    expect(pixel(out, 10 + 40, 10 + 40)).toEqual([255, 255, 255]);
    // The 2x2 panel is drawn 20x larger: its bottom-right block is its max (100 -> 255).
    const second = 10 + 42 + 10 + 1;
    expect(pixel(out, second + 39, 11 + 39)).toEqual([255, 255, 255]);
    expect(pixel(out, second + 19, 11 + 19)).toEqual([0, 0, 0]);
    expect(pixel(out, second + 20, 11 + 19)).toEqual([128, 128, 128]);
    // Something dark was written in each label strip.
    const strip = (x0: number, x1: number) => {
      let dark = 0;
      for (let y = 10 + 42; y < out.height; y++)
        for (let x = x0; x < x1; x++) if (pixel(out, x, y)[0]! < 100) dark++;
      return dark;
    };
    expect(strip(10, 52)).toBeGreaterThan(10);
    expect(strip(62, 104)).toBeGreaterThan(10);
  });

  it('shrinks a large panel by area average and caps the default height at 600', async () => {
    const big: Image<Uint8Array> = {
      width: 4,
      height: 2,
      channels: 1,
      data: Uint8Array.from([0, 4, 8, 12, 2, 6, 10, 14]),
    };
    const out = await figure([big], { normalize: false, panelHeight: 1, gap: 8 });
    // 4x2 -> 2x1: the means of the 2x2 blocks, (0 + 4 + 2 + 6) / 4 = 3 and (8 + 12 + 10 + 14) / 4 = 11.
    expect(pixel(out, 9, 9)).toEqual([3, 3, 3]);
    expect(pixel(out, 10, 9)).toEqual([11, 11, 11]);
    const tall: Image<Uint8Array> = {
      width: 10,
      height: 1200,
      channels: 1,
      data: new Uint8Array(12000),
    };
    expect((await figure([tall], { gap: 8 })).height).toBe(8 + 600 + 2 + 8);
  });

  it('can show raw values instead of stretching', async () => {
    const out = await figure([gray], { normalize: false, panelHeight: 4, gap: 8 });
    expect(pixel(out, 9, 9)).toEqual([100, 100, 100]);
  });

  it('rejects no images and too many labels', async () => {
    await expect(figure([])).rejects.toThrow('figure: expected a non-empty array of images');
    expect(() => figureSvg([gray], { labels: ['a', 'b'] })).toThrow(
      'figure: got 2 labels for 1 images',
    );
  });

  it('is an SVG with the panels as embedded PNGs and the labels as DejaVu Sans text', () => {
    const svg = figureSvg([gray, half], { labels: ['gray', 'max_pooled'], panelHeight: 40 });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<image [^>]*href="data:image\/png;base64,/g)).toHaveLength(2);
    expect(svg).toMatch(/<text [^>]*font: 12px 'DejaVu Sans'[^>]*>gray<\/text>/);
    expect(svg).toMatch(/>max_pooled<\/text>/);
  });

  it('toUint8 clips and truncates float values, or stretches them', () => {
    const float: Image<Float32Array> = {
      width: 4,
      height: 1,
      channels: 1,
      data: Float32Array.from([-5, 12.9, 300, 0]),
    };
    expect([...toUint8(float).data]).toEqual([0, 12, 255, 0]);
    expect([...toUint8(float, { normalize: true }).data]).toEqual([0, 15, 255, 4]);
  });
});
