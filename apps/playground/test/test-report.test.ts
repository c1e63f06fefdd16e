// testReport: accuracy and loss as Keras's evaluate computes them, the confusion matrix, the worst
// test images and one image per class, on a hand-made set of four images and three classes.

import { describe, expect, it } from 'vitest';
import { testReport } from '../src/training/test-report.js';

/** Image i is 784 bytes of value i, so the test can tell which image came back. */
function images(count: number): Uint8Array {
  const bytes = new Uint8Array(count * 784);
  for (let i = 0; i < count; i++) bytes.fill(i, i * 784, (i + 1) * 784);
  return bytes;
}

const probabilities = new Float32Array([
  // image 0, class 0: right, p = 0.7
  0.7, 0.2, 0.1,
  // image 1, class 1: wrong (says 0), p(1) = 0.3
  0.6, 0.3, 0.1,
  // image 2, class 2: wrong (says 1), p(2) = 0.1
  0.1, 0.8, 0.1,
  // image 3, class 1: right, p = 0.9
  0.05, 0.9, 0.05,
]);
const labels = [0, 1, 2, 1];

describe('testReport', () => {
  const report = testReport(probabilities, 3, { images: images(4), labels }, { moment: 'now' });

  it('counts true class × predicted class', () => {
    expect(report.confusion).toEqual([
      [1, 0, 0],
      [1, 1, 0],
      [0, 1, 0],
    ]);
    expect(report.samples).toBe(4);
    expect(report.accuracy).toBe(0.5);
  });

  it("takes the loss as Keras's sparse cross-entropy: the mean of −log p(true class)", () => {
    const expected =
      -(
        Math.log(Math.fround(0.7)) +
        Math.log(Math.fround(0.3)) +
        Math.log(Math.fround(0.1)) +
        Math.log(Math.fround(0.9))
      ) / 4;
    expect(report.loss).toBeCloseTo(expected, 12);
  });

  it('lists the misclassified images, lowest probability for the true class first', () => {
    expect(report.worst.map((w) => [w.index, w.label, w.predicted])).toEqual([
      [2, 2, 1],
      [1, 1, 0],
    ]);
    expect(report.worst[0]!.labelProbability).toBeCloseTo(0.1, 6);
    expect(report.worst[0]!.confidence).toBeCloseTo(0.8, 6);
    expect(report.worst[0]!.pixels.every((v) => v === 2)).toBe(true);
  });

  it('shows the first image of each class', () => {
    expect(report.examples.map((e) => e.index)).toEqual([0, 1, 2]);
    expect(report.moment).toBe('now');
  });

  it('keeps at most the number of worst images asked for', () => {
    const one = testReport(
      probabilities,
      3,
      { images: images(4), labels },
      { worst: 1, moment: '' },
    );
    expect(one.worst.map((w) => w.index)).toEqual([2]);
  });

  it('refuses probabilities that are not whole rows for the test images', () => {
    expect(() =>
      testReport(new Float32Array(7), 3, { images: images(4), labels }, { moment: '' }),
    ).toThrow('7 probabilities are not rows of 3 for at most 4 test images');
  });
});
