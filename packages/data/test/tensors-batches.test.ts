// Normalized NHWC tensors, int32 labels, row selection, seeded shuffles and Keras-like batching.

import { Tensor, tensor } from '@convoy/tensor';
import { describe, expect, it } from 'vitest';
import {
  batchCount,
  batches,
  gatherRows,
  shuffledIndices,
  subset,
  take,
  toImageTensor,
  toLabelTensor,
} from '../src/index.js';

const images = new Tensor(Uint8Array.from([0, 51, 255, 128, 1, 2, 3, 4]), [2, 2, 2], 'uint8');

describe('toImageTensor', () => {
  it('makes float32 NHWC [n, h, w, 1] scaled as x / 255.0', () => {
    const x = toImageTensor(images);
    expect(x.dtype).toBe('float32');
    expect(x.shape).toEqual([2, 2, 2, 1]);
    expect(Array.from(x.data.subarray(0, 4))).toEqual([
      0,
      Math.fround(0.2),
      1,
      Math.fround(128 / 255),
    ]);
    expect(x.shared).toBe(false);
  });

  it('keeps raw values without normalize, keeps rank-4 input, and can share memory', () => {
    expect(Array.from(toImageTensor(images, { normalize: false }).data)).toEqual([
      0, 51, 255, 128, 1, 2, 3, 4,
    ]);
    const rank4 = toImageTensor(images.reshape([1, 2, 2, 2]));
    expect(rank4.shape).toEqual([1, 2, 2, 2]);
    expect(toImageTensor(images, { shared: true }).shared).toBe(true);
  });

  it('rejects images of the wrong rank', () => {
    expect(() => toImageTensor(tensor([1, 2, 3]))).toThrow(
      'toImageTensor: images must be rank 3 [n, height, width] or rank 4 [n, height, width, channels], got shape [3]',
    );
  });
});

describe('labels and row selection', () => {
  const labels = new Tensor(Uint8Array.from([9, 0, 3]), [3], 'uint8');
  const rows = tensor([
    [1, 2],
    [3, 4],
    [5, 6],
  ]);

  it('toLabelTensor makes int32 [n]', () => {
    const y = toLabelTensor(labels);
    expect(y.dtype).toBe('int32');
    expect(Array.from(y.data)).toEqual([9, 0, 3]);
    expect(() => toLabelTensor(rows)).toThrow(
      'toLabelTensor: labels must be rank 1 [n], got shape [3, 2]',
    );
  });

  it('take gives the first n rows as a view', () => {
    const first = take(rows, 2);
    expect(first.toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    first.data[0] = 100;
    expect(rows.data[0]).toBe(100);
    rows.data[0] = 1;
    expect(() => take(rows, 4)).toThrow('take: n must be an integer in [0, 3], got 4');
  });

  it('gatherRows copies rows in the given order', () => {
    expect(gatherRows(rows, [2, 0, 2]).toArray()).toEqual([
      [5, 6],
      [1, 2],
      [5, 6],
    ]);
    expect(() => gatherRows(rows, [3])).toThrow(
      'gatherRows: index 3 at position 0 is out of range for 3 rows',
    );
  });

  it('subset keeps images and labels together', () => {
    const split = { images: images, labels: new Tensor(Uint8Array.from([7, 8]), [2], 'uint8') };
    const firstOne = subset(split, 1);
    expect(firstOne.images.shape).toEqual([1, 2, 2]);
    expect(Array.from(firstOne.labels.data)).toEqual([7]);
    const swapped = subset(split, [1, 0]);
    expect(Array.from(swapped.labels.data)).toEqual([8, 7]);
    expect(Array.from(swapped.images.data.subarray(0, 4))).toEqual([1, 2, 3, 4]);
  });
});

describe('shuffledIndices', () => {
  it('is a permutation, the same for the same seed and different for another', () => {
    const a = shuffledIndices(1000, 42);
    expect(Array.from(a).sort((x, y) => x - y)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(Array.from(shuffledIndices(1000, 42))).toEqual(Array.from(a));
    expect(Array.from(shuffledIndices(1000, 43))).not.toEqual(Array.from(a));
    expect(Array.from(a)).not.toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });
});

describe('batches', () => {
  // Sample i has image values [i, i + 100] and label i, so alignment is easy to check.
  const n = 10;
  const x = new Tensor(
    Float32Array.from({ length: n * 2 }, (_, k) => (k % 2) * 100 + Math.floor(k / 2)),
    [n, 2, 1, 1],
  );
  const y = new Tensor(
    Int32Array.from({ length: n }, (_, i) => i),
    [n],
    'int32',
  );

  it('yields batches in order with a partial last batch, as Keras', () => {
    const all = [...batches(x, y, { batchSize: 4 })];
    expect(all.map((b) => b.x.shape)).toEqual([
      [4, 2, 1, 1],
      [4, 2, 1, 1],
      [2, 2, 1, 1],
    ]);
    expect(all.map((b) => Array.from(b.y!.data))).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9],
    ]);
    expect(Array.from(all[2]!.x.data)).toEqual([8, 108, 9, 109]);
    expect(all.map((b) => b.batchIndex)).toEqual([0, 1, 2]);
    expect(batchCount(n, 4)).toBe(3);
  });

  it('shuffles by seed, visiting every sample once, with x and y aligned', () => {
    const epoch = [...batches(x, y, { batchSize: 3, shuffle: true, seed: 7 })];
    const order = epoch.flatMap((b) => Array.from(b.y!.data));
    expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(order).toEqual(Array.from(shuffledIndices(n, 7)));
    for (const batch of epoch) {
      batch.y!.data.forEach((label, i) => {
        expect(batch.x.data[2 * i]).toBe(label);
        expect(batch.x.data[2 * i + 1]).toBe(label + 100);
      });
    }
    const again = [...batches(x, y, { batchSize: 3, shuffle: true, seed: 7 })].flatMap((b) =>
      Array.from(b.indices),
    );
    expect(again).toEqual(order);
  });

  it('puts batches on shared memory by default in Node, and not when asked', () => {
    const [first] = batches(x, y, { batchSize: 4 });
    expect(first!.x.shared).toBe(true);
    expect(first!.y!.shared).toBe(true);
    const [plain] = batches(x, y, { batchSize: 4, shared: false });
    expect(plain!.x.shared).toBe(false);
  });

  it('carves shared batches from common blocks without overlap', () => {
    const all = [...batches(x, y, { batchSize: 3, shuffle: true, seed: 3 })];
    expect(all[1]!.x.data.buffer).toBe(all[0]!.x.data.buffer);
    const before = all.map((b) => Array.from(b.x.data));
    all[0]!.x.data.fill(-1);
    all[0]!.y!.data.fill(-1);
    expect(all.slice(1).map((b) => Array.from(b.x.data))).toEqual(before.slice(1));
    expect(
      all
        .slice(1)
        .flatMap((b) => Array.from(b.y!.data))
        .includes(-1),
    ).toBe(false);
  });

  it('works without labels', () => {
    const all = [...batches(x, undefined, { batchSize: 5 })];
    expect(all.length).toBe(2);
    expect(all[0]!.y).toBeUndefined();
  });

  it('rejects bad options and mismatched x and y', () => {
    expect(() => [...batches(x, y, { batchSize: 0 })]).toThrow(
      'batches: batchSize must be a positive integer, got 0',
    );
    expect(() => [...batches(x, y, { shuffle: true })]).toThrow('batches: shuffle needs a seed');
    expect(() => [...batches(x, take(y, 3))]).toThrow(
      'batches: x and y need the same number of samples, got x [10, 2, 1, 1] and y [3]',
    );
  });
});
