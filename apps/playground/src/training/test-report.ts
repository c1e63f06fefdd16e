// What the model makes of the test set, from its predicted probabilities: accuracy and loss as
// Keras's evaluate reports them, the confusion matrix (true class × predicted class), the test
// images it gets most wrong (lowest probability for the true class), and one image per class.

import type { ClassifiedImage, TestReport } from './protocol.js';

const PIXELS = 28 * 28;
/** Keras clips probabilities to [1e-7, 1 - 1e-7] before the log of the cross-entropy. */
const EPSILON = 1e-7;

export interface TestSet {
  /** uint8 images, 784 bytes each, row by row. */
  images: Uint8Array;
  labels: ArrayLike<number>;
}

function argmax(values: ArrayLike<number>, start: number, count: number): number {
  let best = 0;
  for (let c = 1; c < count; c++) if (values[start + c]! > values[start + best]!) best = c;
  return best;
}

/**
 * `probabilities` holds one row of `classes` probabilities per test image, for the first
 * `probabilities.length / classes` images of `test`.
 */
export function testReport(
  probabilities: Float32Array,
  classes: number,
  test: TestSet,
  options: { worst?: number; moment: string },
): TestReport {
  const samples = probabilities.length / classes;
  if (!Number.isInteger(samples) || samples > test.labels.length) {
    throw new RangeError(
      `testReport: ${probabilities.length} probabilities are not rows of ${classes} for at most ${test.labels.length} test images`,
    );
  }
  const confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  let lossSum = 0;
  let correct = 0;
  const classify = (index: number): ClassifiedImage => {
    const label = test.labels[index]!;
    const predicted = argmax(probabilities, index * classes, classes);
    return {
      index,
      pixels: test.images.slice(index * PIXELS, (index + 1) * PIXELS),
      label,
      predicted,
      confidence: probabilities[index * classes + predicted]!,
      labelProbability: probabilities[index * classes + label]!,
    };
  };
  const labelProbability = new Float64Array(samples);
  for (let i = 0; i < samples; i++) {
    const label = test.labels[i]!;
    const predicted = argmax(probabilities, i * classes, classes);
    confusion[label]![predicted]!++;
    if (predicted === label) correct++;
    const p = probabilities[i * classes + label]!;
    labelProbability[i] = p;
    lossSum -= Math.log(Math.min(1 - EPSILON, Math.max(EPSILON, p)));
  }
  const byProbability = Array.from({ length: samples }, (_, i) => i).sort(
    (a, b) => labelProbability[a]! - labelProbability[b]! || a - b,
  );
  const examples: ClassifiedImage[] = [];
  for (let c = 0; c < classes; c++) {
    for (let i = 0; i < samples; i++) {
      if (test.labels[i] === c) {
        examples.push(classify(i));
        break;
      }
    }
  }
  return {
    samples,
    loss: samples === 0 ? 0 : lossSum / samples,
    accuracy: samples === 0 ? 0 : correct / samples,
    confusion,
    worst: byProbability
      .slice(0, options.worst ?? 12)
      .map(classify)
      .filter((image) => image.predicted !== image.label),
    examples,
    moment: options.moment,
  };
}
