// Global average pooling: hand-computed means, agreement with an average pooling whose window is
// the whole image, central differences of the backward, `out`, and bad input answered by name.

import { type Shape, tensor } from '@convoy/tensor';
import { describe, expect, it } from 'vitest';
import * as ops from '../src/index.js';
import { dotLoss, expectGradient } from './helpers/gradient.js';
import { randomTensor } from './helpers/random.js';

describe('globalAvgPool2d', () => {
  it('averages each image per channel: x=[2,2,2,2] by hand', () => {
    // Image 0: channel 0 holds 1..4, channel 1 holds 10..40; image 1 is image 0 negated.
    const image = [1, 10, 2, 20, 3, 30, 4, 40];
    const x = tensor([...image, ...image.map((v) => -v)], [2, 2, 2, 2]);
    const out = ops.globalAvgPool2d(x);
    expect(out.shape).toEqual([2, 2]);
    expect(Array.from(out.data)).toEqual([2.5, 25, -2.5, -25]);
  });

  it('sums in float64 before rounding once: 2^24 and 1 and 1 and 0 average to 4194304.5', () => {
    // In float32, 2^24 + 1 rounds back to 2^24 twice over; in float64 the mean is exact.
    const x = tensor([2 ** 24, 1, 1, 0], [1, 2, 2, 1]);
    expect(ops.globalAvgPool2d(x).data[0]).toBe(Math.fround((2 ** 24 + 2) / 4));
  });

  it.each([[[3, 5, 7, 4]], [[1, 1, 1, 6]], [[2, 28, 28, 3]]] as Shape[][])(
    'equals avgPool2d with the whole image as its window, x=%j',
    (shape) => {
      const x = randomTensor(shape, 1);
      const [batch, height, width, channels] = shape as [number, number, number, number];
      const pooled = ops.avgPool2d(x, { poolSize: [height, width] });
      expect(pooled.shape).toEqual([batch, 1, 1, channels]);
      expect(ops.globalAvgPool2d(x).data).toEqual(pooled.data);
    },
  );

  it('writes into a given out and returns it', () => {
    const x = randomTensor([3, 4, 5, 2], 2);
    const out = new Float32Array(6).fill(Number.NaN);
    const result = ops.globalAvgPool2d(x, { out });
    expect(result.data).toBe(out);
    expect(out).toEqual(ops.globalAvgPool2d(x).data);
  });

  it('an empty batch gives an empty [0, channels] result', () => {
    expect(ops.globalAvgPool2d(tensor([], [0, 3, 3, 2])).shape).toEqual([0, 2]);
  });
});

describe('globalAvgPool2dBackward', () => {
  it('spreads dy[b, c] evenly over the pixels of image b, channel c', () => {
    const dy = tensor([4, -8, 1, 2], [2, 2]);
    const dx = ops.globalAvgPool2dBackward(dy, [2, 2, 2, 2]);
    expect(dx.shape).toEqual([2, 2, 2, 2]);
    expect(Array.from(dx.data)).toEqual([
      ...[1, -2, 1, -2, 1, -2, 1, -2],
      ...[0.25, 0.5, 0.25, 0.5, 0.25, 0.5, 0.25, 0.5],
    ]);
  });

  it.each([[[2, 3, 4, 3]], [[3, 5, 1, 2]]] as Shape[][])(
    'matches central differences, x=%j',
    (shape) => {
      const x = randomTensor(shape, 3);
      const dy = randomTensor([shape[0]!, shape[3]!], 4);
      const dx = ops.globalAvgPool2dBackward(dy, x.shape);
      expectGradient({
        loss: () => dotLoss(ops.globalAvgPool2d(x), dy),
        values: x.data,
        analytic: dx.data,
      });
    },
  );

  it('equals avgPool2dBackward with the whole image as its window', () => {
    const shape = [3, 6, 5, 4];
    const dy = randomTensor([3, 4], 5);
    const asWindow = ops.avgPool2dBackward(tensor(dy.data, [3, 1, 1, 4]), shape, {
      poolSize: [6, 5],
    });
    expect(ops.globalAvgPool2dBackward(dy, shape).data).toEqual(asWindow.data);
  });
});

describe('global pooling bad input', () => {
  it('names the input that is not rank 4', () => {
    expect(() => ops.globalAvgPool2d(randomTensor([2, 3, 4], 1))).toThrow(
      /globalAvgPool2d: input must be rank 4 \[batch, height, width, channels\], got shape \[2, 3, 4\]/,
    );
  });

  it('refuses an image with no pixel to average', () => {
    expect(() => ops.globalAvgPool2d(tensor([], [2, 0, 3, 1]))).toThrow(
      /globalAvgPool2d: input must have at least one pixel to average, got shape \[2, 0, 3, 1\]/,
    );
  });

  it('names a dy that is not the pooled shape', () => {
    expect(() => ops.globalAvgPool2dBackward(randomTensor([2, 3], 1), [2, 4, 4, 5])).toThrow(
      /globalAvgPool2dBackward: dy must have the pooled shape \[2, 5\], got \[2, 3\] \(input \[2, 4, 4, 5\]\)/,
    );
  });

  it('names an out of the wrong size', () => {
    expect(() =>
      ops.globalAvgPool2d(randomTensor([2, 3, 3, 4], 1), { out: new Float32Array(7) }),
    ).toThrow(/globalAvgPool2d: out must hold the result's 8 elements, got 7/);
  });

  it('refuses an input that is not float32', () => {
    const ints = tensor([1, 2, 3, 4], [1, 2, 2, 1], 'int32');
    // biome-ignore lint/suspicious/noExplicitAny: the wrong dtype is the point.
    expect(() => ops.globalAvgPool2d(ints as any)).toThrow(
      /globalAvgPool2d: input must be float32, got int32/,
    );
  });
});
