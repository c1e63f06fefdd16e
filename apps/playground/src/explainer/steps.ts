// The convolution explainer's model: the textbook's loop (513_1 / 514_1) unrolled into steps,
// one per output pixel, each with its window, the element-wise product window*filter and the
// output filled so far. The final output comes from @convoy/ops conv2d, not from these loops:
// the steps are for teaching, conv2d is the answer, and a test checks that they agree.

import { conv2d } from '@convoy/ops';
import { tensor } from '@convoy/tensor';
import type { Matrix } from './textbook-example.js';

export interface ExplainerSettings {
  stride: number;
  /** Zero padding on every side, as in the textbook's np.pad(image, ((P, P), (P, P))). */
  padding: number;
}

export interface ConvolutionStep {
  /** Position in the output. */
  row: number;
  col: number;
  /** Top-left corner of the window in the padded image. */
  top: number;
  left: number;
  window: Matrix;
  products: Matrix;
  sum: number;
  /** The output after this step; cells not yet computed are null. */
  partialOutput: (number | null)[][];
}

export interface ConvolutionWalkthrough {
  padded: Matrix;
  outHeight: number;
  outWidth: number;
  steps: ConvolutionStep[];
  /** conv2d's answer for the same image, filter, stride and padding. */
  output: Matrix;
}

function checkMatrix(name: string, matrix: Matrix): void {
  const width = matrix[0]?.length ?? 0;
  if (matrix.length === 0 || width === 0 || matrix.some((row) => row.length !== width)) {
    throw new RangeError(`explainer: ${name} must be a non-empty rectangular matrix`);
  }
}

/** Output size along one axis: floor((N + 2P - K) / S) + 1, the textbook's formula. */
export function outputSize(size: number, kernel: number, stride: number, padding: number): number {
  return Math.floor((size + 2 * padding - kernel) / stride) + 1;
}

export function zeroPad(image: Matrix, padding: number): Matrix {
  const width = image[0]!.length + 2 * padding;
  const zeros = () => new Array<number>(width).fill(0);
  const padded: Matrix = [];
  for (let i = 0; i < padding; i++) padded.push(zeros());
  for (const row of image) {
    padded.push([
      ...new Array<number>(padding).fill(0),
      ...row,
      ...new Array<number>(padding).fill(0),
    ]);
  }
  for (let i = 0; i < padding; i++) padded.push(zeros());
  return padded;
}

/** conv2d from @convoy/ops on one single-channel image and one filter. */
export function conv2dMatrix(image: Matrix, filter: Matrix, settings: ExplainerSettings): Matrix {
  const height = image.length;
  const width = image[0]!.length;
  const kernelHeight = filter.length;
  const kernelWidth = filter[0]!.length;
  const { stride, padding } = settings;
  const x = tensor(image.flat(), [1, height, width, 1]);
  const w = tensor(filter.flat(), [kernelHeight, kernelWidth, 1, 1]);
  const y = conv2d(x, w, {
    strides: stride,
    padding: [
      [padding, padding],
      [padding, padding],
    ],
  });
  const [, outHeight, outWidth] = y.shape as [number, number, number, number];
  const output: Matrix = [];
  for (let r = 0; r < outHeight; r++) {
    output.push(Array.from(y.data.subarray(r * outWidth, (r + 1) * outWidth)));
  }
  return output;
}

export function walkConvolution(
  image: Matrix,
  filter: Matrix,
  settings: ExplainerSettings,
): ConvolutionWalkthrough {
  checkMatrix('image', image);
  checkMatrix('filter', filter);
  const { stride, padding } = settings;
  if (!Number.isInteger(stride) || stride < 1) {
    throw new RangeError(`explainer: stride must be a positive integer, got ${stride}`);
  }
  if (!Number.isInteger(padding) || padding < 0) {
    throw new RangeError(`explainer: padding must be a non-negative integer, got ${padding}`);
  }
  const kernelHeight = filter.length;
  const kernelWidth = filter[0]!.length;
  const outHeight = outputSize(image.length, kernelHeight, stride, padding);
  const outWidth = outputSize(image[0]!.length, kernelWidth, stride, padding);
  if (outHeight < 1 || outWidth < 1) {
    throw new RangeError(
      `explainer: a ${kernelHeight}×${kernelWidth} filter does not fit a ${image.length}×${image[0]!.length} image with padding ${padding}`,
    );
  }
  const padded = zeroPad(image, padding);
  const partial: (number | null)[][] = Array.from({ length: outHeight }, () =>
    new Array<number | null>(outWidth).fill(null),
  );
  const steps: ConvolutionStep[] = [];
  for (let row = 0; row < outHeight; row++) {
    for (let col = 0; col < outWidth; col++) {
      const top = row * stride;
      const left = col * stride;
      const window = padded
        .slice(top, top + kernelHeight)
        .map((r) => r.slice(left, left + kernelWidth));
      const products = window.map((r, i) => r.map((value, j) => value * filter[i]![j]!));
      const sum = products.flat().reduce((total, value) => total + value, 0);
      partial[row]![col] = sum;
      steps.push({
        row,
        col,
        top,
        left,
        window,
        products,
        sum,
        partialOutput: partial.map((r) => [...r]),
      });
    }
  }
  return { padded, outHeight, outWidth, steps, output: conv2dMatrix(image, filter, settings) };
}
