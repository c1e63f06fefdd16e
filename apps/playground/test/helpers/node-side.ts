// What the end-to-end tests compare the page with, computed in Node by the same packages: the
// Fashion-MNIST test images, a model's every-layer outputs (layerOutputs) and its predictions.

import { loadFashionMnist } from '@convoy/data';
import { layerOutputs, type Sequential } from '@convoy/layers';
import { Tensor } from '@convoy/tensor';
import { expect } from 'vitest';
import { dataDir } from './browser.js';

let testSet: { images: Uint8Array; labels: Uint8Array } | undefined;

export async function fashionMnistTest(): Promise<{ images: Uint8Array; labels: Uint8Array }> {
  if (!testSet) {
    const data = await loadFashionMnist({ dir: dataDir, download: false, onProgress: () => {} });
    testSet = { images: data.test.images.data, labels: data.test.labels.data };
  }
  return testSet;
}

/** 28×28 bytes to the model's input, as the page's worker makes it (x / 255 in float32). */
export function asInput(pixels: Uint8Array, count = 1): Tensor<'float32'> {
  const data = new Float32Array(count * 784);
  for (let i = 0; i < data.length; i++) data[i] = pixels[i]! / 255;
  return new Tensor(data, [count, 28, 28, 1], 'float32');
}

export async function outputsFor(model: Sequential, pixels: Uint8Array) {
  return layerOutputs(model, asInput(pixels));
}

/**
 * Chromium's kernels may take the relaxed-SIMD build where Node takes plain SIMD: the same sums
 * in a different order, so float32 results agree to a few units in the last place, not bit for bit.
 */
export function expectClose(
  actual: readonly number[],
  expected: ArrayLike<number>,
  what: string,
): void {
  expect(actual.length, `${what}: number of values`).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) {
    const tolerance = 1e-5 * Math.max(1, Math.abs(expected[i]!));
    worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!) / tolerance);
  }
  expect(worst, `${what}: largest difference, in units of the tolerance`).toBeLessThanOrEqual(1);
}

/** The confusion matrix of the argmax predictions, as the page draws it. */
export function confusionOf(
  probabilities: Float32Array,
  labels: ArrayLike<number>,
  classes = 10,
): number[][] {
  const matrix = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < probabilities.length / classes; i++) {
    let best = 0;
    for (let c = 1; c < classes; c++) {
      if (probabilities[i * classes + c]! > probabilities[i * classes + best]!) best = c;
    }
    matrix[labels[i]!]![best]!++;
  }
  return matrix;
}
