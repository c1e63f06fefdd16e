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
 * The page's numbers are Node's bit for bit: the same WebAssembly kernels run in both (Chromium
 * and Node 20 both take their relaxed-SIMD build), and the page keeps each float32 exactly (a
 * float32 written with String() reads back as the same number).
 */
export function expectSameNumbers(
  actual: readonly number[],
  expected: ArrayLike<number>,
  what: string,
): void {
  expect(actual, what).toEqual(Array.from(expected));
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
