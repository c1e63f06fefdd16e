import { readFileSync } from 'node:fs';
import { createWorkerExecutor } from '@convoy/ops';
import { afterAll, describe, expect, it } from 'vitest';
import {
  customKernel,
  defaultBands,
  filter2d,
  filter2dSync,
  getKernel,
  type Image,
  listKernels,
  maxPool,
  type PaddingMode,
  reference,
} from '../src/index.js';
import { randomImage } from './helpers.js';

interface ChapterFixture {
  input: number[][];
  mean: number[][];
  sharpen: number[][];
  edge: number[][];
  edge_max_pooled: number[][];
}
// Made by fixtures/make-chapter-517.py: the chapter's own NumPy loops.
const chapter = JSON.parse(
  readFileSync(new URL('./fixtures/chapter-517.json', import.meta.url), 'utf8'),
) as ChapterFixture;
const chapterImage: Image<Uint8Array> = {
  width: chapter.input[0]!.length,
  height: chapter.input.length,
  channels: 1,
  data: Uint8Array.from(chapter.input.flat()),
};

describe("the chapter's 517_1 / 517_2 results (NumPy golden values)", () => {
  it('sharpen and edge equal the chapter exactly (zero padding, clip, uint8)', () => {
    for (const name of ['sharpen', 'edge'] as const) {
      const out = filter2dSync(chapterImage, name);
      expect(out.data, name).toBeInstanceOf(Uint8Array);
      expect([...out.data], name).toEqual(chapter[name].flat());
    }
  });

  it('the mean filter truncates toward zero like the uint8 array (and differs from NumPy only by its float64 error)', () => {
    const out = filter2dSync(chapterImage, 'mean');
    const expected = chapter.mean.flat();
    const sums = reference.referenceFilter(chapterImage, customKernel(getKernel('mean').weights), {
      clip: false,
    });
    let differing = 0;
    out.data.forEach((value, i) => {
      if (value === expected[i]) return;
      differing++;
      // NumPy sums nine float64 values v * (1/9); when the exact mean is a whole number k its sum can
      // land a hair below k and truncate to k - 1. Here we compute the exact sum / 9.
      expect(value - expected[i]!).toBe(1);
      expect(sums.data[i]! % 9).toBe(0);
    });
    // The fixture's flat patch of 7s is where NumPy's rounding shows (6.999999999999999 -> 6).
    expect(differing).toBeGreaterThan(0);
    expect(differing).toBeLessThan(out.data.length / 10);
    // Truncation, not rounding: a window summing to 17 (17/9 = 1.89) gives 1.
    const tiny: Image<Uint8Array> = {
      width: 1,
      height: 1,
      channels: 1,
      data: Uint8Array.from([17]),
    };
    expect([...filter2dSync(tiny, 'mean').data]).toEqual([1]);
  });

  it('max pooling the edge map equals the chapter (odd sizes drop the last row and column)', () => {
    const pooled = maxPool(filter2dSync(chapterImage, 'edge'), { size: 2 });
    expect([pooled.width, pooled.height]).toEqual([11, 9]);
    expect([...pooled.data]).toEqual(chapter.edge_max_pooled.flat());
  });
});

describe('filter2d equals the per-pixel reference loop', () => {
  const paddings: PaddingMode[] = ['zero', 'replicate', 'reflect'];
  it('for every catalogue kernel and padding on a uint8 gray image', () => {
    const image = randomImage(13, 9, 1, 1);
    for (const kernel of listKernels()) {
      for (const padding of paddings) {
        const got = filter2dSync(image, kernel, { padding });
        const want = reference.referenceFilter(image, kernel, { padding });
        expect([...got.data], `${kernel.name} ${padding}`).toEqual([...want.data]);
      }
    }
  });

  it('per channel on RGB and RGBA images, keeping alpha untouched', () => {
    for (const channels of [3, 4] as const) {
      const image = randomImage(11, 7, channels, 10 + channels);
      const got = filter2dSync(image, 'sharpen', { padding: 'reflect' });
      const want = reference.referenceFilter(image, getKernel('sharpen'), { padding: 'reflect' });
      expect(got.channels).toBe(channels);
      expect([...got.data]).toEqual([...want.data]);
      if (channels === 4) {
        for (let i = 3; i < image.data.length; i += 4) expect(got.data[i]).toBe(image.data[i]);
      }
    }
  });

  it('on 16-bit images (clipped to 0..65535)', () => {
    const image = randomImage(9, 8, 1, 3, 65535);
    const got = filter2dSync(image, 'edge');
    expect(got.data).toBeInstanceOf(Uint16Array);
    expect([...got.data]).toEqual([...reference.referenceFilter(image, getKernel('edge')).data]);
    expect(Math.max(...got.data)).toBeGreaterThan(255);
  });

  it('for a 5x5 kernel wider than a 3-pixel image with reflect padding', () => {
    const image = randomImage(3, 4, 1, 4);
    for (const padding of paddings) {
      expect([...filter2dSync(image, 'gaussian5', { padding }).data], padding).toEqual([
        ...reference.referenceFilter(image, getKernel('gaussian5'), { padding }).data,
      ]);
    }
  });

  it('returns raw sums as float32 with clip: false', () => {
    const image: Image<Uint8Array> = {
      width: 3,
      height: 3,
      channels: 1,
      data: Uint8Array.from([0, 0, 0, 0, 10, 0, 0, 0, 0]),
    };
    const out = filter2dSync(image, 'edge', { clip: false });
    expect(out.data).toBeInstanceOf(Float32Array);
    expect([...out.data]).toEqual([-10, -10, -10, -10, 80, -10, -10, -10, -10]);
    const clipped = filter2dSync(image, 'edge');
    expect([...clipped.data]).toEqual([0, 0, 0, 0, 80, 0, 0, 0, 0]);
  });
});

describe('zero padding and clipping behave as the chapter code', () => {
  it('treats outside pixels as 0 (so a flat image gets bright borders under the edge filter)', () => {
    const flat: Image<Uint8Array> = {
      width: 4,
      height: 3,
      channels: 1,
      data: new Uint8Array(12).fill(10),
    };
    // Corner: 8*10 - 3*10 = 50; edge: 8*10 - 5*10 = 30; inside: 0.
    expect([...filter2dSync(flat, 'edge').data]).toEqual([
      50, 30, 30, 50, 30, 0, 0, 30, 50, 30, 30, 50,
    ]);
    // With replicate padding a flat image stays flat: no border response at all.
    expect([...filter2dSync(flat, 'edge', { padding: 'replicate' }).data]).toEqual(
      new Array(12).fill(0),
    );
  });

  it('clips above 255 and below 0', () => {
    const dot: Image<Uint8Array> = {
      width: 3,
      height: 3,
      channels: 1,
      data: Uint8Array.from([0, 0, 0, 0, 200, 0, 0, 0, 0]),
    };
    expect([...filter2dSync(dot, 'sharpen').data]).toEqual([0, 0, 0, 0, 255, 0, 0, 0, 0]);
  });

  it('rejects an even-sized kernel and an unknown padding with clear errors', () => {
    const image = randomImage(5, 5, 1, 5);
    const even = {
      name: 'even',
      description: '',
      weights: [
        [1, 1],
        [1, 1],
      ],
      divisor: 1,
    };
    expect(() => filter2dSync(image, even)).toThrow(
      'filter2d: kernel must have an odd height and width (so it has a centre pixel), got 2x2',
    );
    expect(() => filter2dSync(image, 'edge', { padding: 'wrap' as PaddingMode })).toThrow(
      `filter2d: padding must be one of 'zero', 'replicate', 'reflect', got "wrap"`,
    );
    expect(() => filter2dSync(image, 'nope')).toThrow(/unknown kernel 'nope'/);
  });
});

describe('filter2d on executors gives the same pixels', () => {
  const workers = createWorkerExecutor({ workers: 2, inlineFlopThreshold: 0 });
  afterAll(() => workers.close());

  it('split into bands with halo rows, inline, for every padding', async () => {
    const image = randomImage(17, 23, 3, 6);
    for (const padding of ['zero', 'replicate', 'reflect'] as const) {
      const whole = filter2dSync(image, 'gaussian5', { padding });
      for (const bands of [2, 3, 5, 23]) {
        const banded = await filter2d(image, 'gaussian5', { padding, bands });
        expect([...banded.data], `${padding} bands=${bands}`).toEqual([...whole.data]);
      }
    }
  });

  it('on 2 workers (split by band and channel)', async () => {
    const image = randomImage(64, 61, 4, 7);
    const before = workers.stats().tasks;
    const split = await filter2d(image, 'edge', { executor: workers, bands: 2 });
    expect(workers.stats().tasks - before).toBe(2);
    expect([...split.data]).toEqual([...filter2dSync(image, 'edge').data]);
    const gray = randomImage(40, 30, 1, 8);
    expect([...(await filter2d(gray, 'mean', { executor: workers, bands: 2 })).data]).toEqual([
      ...reference.referenceFilter(gray, getKernel('mean')).data,
    ]);
  });

  it('bands a large picture across the workers by default, and leaves a small one whole', async () => {
    const large = randomImage(512, 512, 1, 11);
    const before = workers.stats().tasks;
    const out = await filter2d(large, 'edge', { executor: workers });
    expect(workers.stats().tasks - before).toBe(2);
    expect(Buffer.from(out.data).equals(Buffer.from(filter2dSync(large, 'edge').data))).toBe(true);
    expect(defaultBands(2, 512, 512)).toBe(2);
    expect(defaultBands(4, 4000, 3000)).toBe(4);
    expect(defaultBands(2, 500, 500)).toBe(1);
    expect(defaultBands(1, 4000, 3000)).toBe(1);
  });

  it('makes and closes its own executor with { workers }', async () => {
    const image = randomImage(20, 20, 1, 9);
    const out = await filter2d(image, 'sobel-x', { workers: 2, bands: 2 });
    expect([...out.data]).toEqual([...filter2dSync(image, 'sobel-x').data]);
    await expect(filter2d(image, 'edge', { workers: 2, executor: workers })).rejects.toThrow(
      'filter2d: pass either executor or workers, not both',
    );
  });
});
