// The windowing helper against the formulas as documented, written independently of it:
// TensorFlow's 'same' = ceil(N / S) and 'valid' = ceil((N - K_eff + 1) / S), the textbook's
// floor((N + 2P - K) / S) + 1 for explicit padding, and 'same' padding split with the odd pixel
// bottom/right.

import { describe, expect, it } from 'vitest';
import { windowGeometry } from '../src/geometry.js';
import * as ops from '../src/index.js';

function geometry(
  size: number,
  kernel: number,
  stride: number,
  dilation: number,
  padding: ops.Padding,
) {
  return windowGeometry({
    op: 'test',
    xShape: [1, size, size, 1],
    filterHeight: kernel,
    filterWidth: kernel,
    outChannels: 1,
    strides: stride,
    dilations: dilation,
    padding,
    windowShape: [kernel, kernel],
  });
}

describe('windowGeometry output sizes', () => {
  const sizes = [1, 2, 3, 4, 5, 7, 8, 28];
  const kernels = [1, 2, 3, 5];
  const strides = [1, 2, 3];
  const dilations = [1, 2];

  it("'same' gives ceil(N / S) with total padding (out - 1)·S + K_eff - N, odd pixel bottom/right", () => {
    for (const n of sizes) {
      for (const k of kernels) {
        for (const s of strides) {
          for (const d of dilations) {
            const g = geometry(n, k, s, d, 'same');
            const out = Math.ceil(n / s);
            const total = Math.max((out - 1) * s + (k - 1) * d + 1 - n, 0);
            expect([g.outHeight, g.outWidth]).toEqual([out, out]);
            expect(g.padTop + g.padBottom).toBe(total);
            expect(g.padBottom - g.padTop).toBe(total % 2);
            expect([g.padLeft, g.padRight]).toEqual([g.padTop, g.padBottom]);
          }
        }
      }
    }
  });

  it("'valid' gives ceil((N - K_eff + 1) / S) and no padding", () => {
    for (const n of sizes) {
      for (const k of kernels) {
        for (const s of strides) {
          for (const d of dilations) {
            const effective = (k - 1) * d + 1;
            if (effective > n) continue; // covered by the error test below
            const g = geometry(n, k, s, d, 'valid');
            expect(g.outHeight).toBe(Math.ceil((n - effective + 1) / s));
            expect([g.padTop, g.padBottom, g.padLeft, g.padRight]).toEqual([0, 0, 0, 0]);
          }
        }
      }
    }
  });

  it("explicit padding follows the textbook's floor((N + 2P - K) / S) + 1", () => {
    for (const n of sizes) {
      for (const k of kernels) {
        for (const s of strides) {
          for (const p of [0, 1, 2]) {
            if (n + 2 * p < k) continue;
            const g = geometry(n, k, s, 1, [
              [p, p],
              [p, p],
            ]);
            expect(g.outHeight).toBe(Math.floor((n + 2 * p - k) / s) + 1);
          }
        }
      }
    }
  });

  it('throws when the dilated window is larger than the padded input, naming op and shapes', () => {
    expect(() => geometry(4, 3, 1, 2, 'valid')).toThrow(
      'test: window [3, 3] (dilations 2x2) is larger than the padded input: input [1, 4, 4, 1], padding "valid"',
    );
  });

  it('textbook: 28x28x1 with 3x3 filters and same padding stays 28x28; 2x2 pooling halves it', () => {
    const conv = ops.conv2dGeometry([32, 28, 28, 1], [3, 3, 1, 32], { padding: 'same' });
    expect(ops.outputShape(conv)).toEqual([32, 28, 28, 32]);
    expect(ops.outputShape(ops.poolingGeometry([32, 28, 28, 64], { poolSize: 2 }))).toEqual([
      32, 14, 14, 64,
    ]);
  });
});
