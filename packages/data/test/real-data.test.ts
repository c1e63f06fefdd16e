// The real Fashion-MNIST, from the Debian package dataset-fashion-mnist. CI installs it; when it is
// missing this test fails with the loader's own error (which says how to install it), never skips.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  FASHION_MNIST_CLASSES,
  loadFashionMnist,
  toImageTensor,
  toLabelTensor,
} from '../src/index.js';

const emptyCache = mkdtempSync(join(tmpdir(), 'convoy-real-'));
afterAll(() => rmSync(emptyCache, { recursive: true, force: true }));

describe('Fashion-MNIST from /usr/share/datasets/fashion-mnist', () => {
  it('loads 60,000 + 10,000 images whose contents match the official checksums', async () => {
    // An empty cache, no environment variable, no download: only the Debian directory can answer.
    const data = await loadFashionMnist({
      env: {},
      cacheDir: emptyCache,
      download: false,
      verify: true,
    });
    expect(data.source).toBe('/usr/share/datasets/fashion-mnist');
    expect(data.train.images.shape).toEqual([60_000, 28, 28]);
    expect(data.train.labels.shape).toEqual([60_000]);
    expect(data.test.images.shape).toEqual([10_000, 28, 28]);
    expect(data.test.labels.shape).toEqual([10_000]);

    // Known values (read with Python's gzip from the same files): the first training image is an
    // ankle boot with pixel (3, 16) = 73 and its brightest pixel 255 at (14, 25).
    expect(data.train.labels.data[0]).toBe(9);
    expect(FASHION_MNIST_CLASSES[data.train.labels.data[0]!]).toBe('Ankle boot');
    expect(Array.from(data.train.labels.data.subarray(0, 10))).toEqual([
      9, 0, 0, 3, 0, 2, 7, 2, 5, 5,
    ]);
    expect(Array.from(data.test.labels.data.subarray(0, 10))).toEqual([
      9, 2, 1, 1, 6, 1, 4, 6, 5, 7,
    ]);
    expect(data.train.images.get(0, 3, 16)).toBe(73);
    expect(data.train.images.get(0, 14, 25)).toBe(255);
    expect(data.train.images.data.subarray(0, 784).reduce((a, b) => a + b, 0)).toBe(76247);

    // Balanced classes: 6,000 of each in train and 1,000 in test, labels 0..9 only.
    const counts = (labels: Uint8Array) => {
      const perClass = new Array<number>(10).fill(0);
      for (const label of labels) perClass[label]! += 1;
      return perClass;
    };
    expect(counts(data.train.labels.data)).toEqual(new Array(10).fill(6000));
    expect(counts(data.test.labels.data)).toEqual(new Array(10).fill(1000));

    const x = toImageTensor(data.test.images);
    expect(x.shape).toEqual([10_000, 28, 28, 1]);
    expect(x.get(0, 14, 14, 0)).toBe(Math.fround(110 / 255));
    expect(toLabelTensor(data.test.labels).dtype).toBe('int32');
  });
});
