// The shapes every executor is checked on: strides 1–3, same/valid/explicit padding, dilation 2,
// batch sizes 1, 3 and 32, and batches that split unevenly over two workers. Names encode shapes
// (`x=[3,7,7,2] f=[3,3,2,4] s=2 p=same`) so a failure says which case broke.

import type { Conv2dOptions, MatMulOptions } from '../../src/index.js';

export interface ConvCase {
  xShape: [number, number, number, number];
  filterShape: [number, number, number, number];
  options: Conv2dOptions;
}

export interface MatMulCase {
  aShape: [number, number];
  bShape: [number, number];
  options: MatMulOptions;
}

export const convCases: ConvCase[] = [
  { xShape: [1, 5, 5, 1], filterShape: [3, 3, 1, 1], options: { padding: 'valid' } },
  { xShape: [3, 7, 7, 2], filterShape: [3, 3, 2, 4], options: { strides: 2, padding: 'same' } },
  { xShape: [32, 8, 8, 3], filterShape: [3, 3, 3, 8], options: { padding: 'same' } },
  { xShape: [3, 9, 8, 2], filterShape: [2, 3, 2, 3], options: { strides: 3, padding: 'valid' } },
  { xShape: [4, 10, 11, 3], filterShape: [3, 3, 3, 2], options: { strides: 3, padding: 'same' } },
  {
    xShape: [5, 10, 9, 2],
    filterShape: [3, 3, 2, 2],
    options: {
      strides: [1, 2],
      padding: [
        [1, 2],
        [0, 1],
      ],
    },
  },
  { xShape: [3, 9, 9, 2], filterShape: [3, 3, 2, 3], options: { dilations: 2, padding: 'same' } },
  { xShape: [7, 6, 6, 1], filterShape: [1, 1, 1, 2], options: {} },
  { xShape: [2, 6, 6, 3], filterShape: [4, 4, 3, 2], options: { strides: 2, padding: 'valid' } },
];

/**
 * 3×3 stride-1 convolutions through Winograd: the textbook's second layer (which 'auto' sends to
 * Winograd) and, forced, its first layer, 'valid' and explicit padding wider than the window,
 * and channel counts that are not multiples of 4 or 8. Checked against the reference within the
 * Winograd error bound (test/helpers/winograd-bound.ts) rather than the direct kernels' 1e-4.
 */
export const winogradCases: ConvCase[] = [
  { xShape: [3, 28, 28, 32], filterShape: [3, 3, 32, 64], options: { padding: 'same' } },
  {
    xShape: [2, 28, 28, 1],
    filterShape: [3, 3, 1, 32],
    options: { padding: 'same', algorithm: 'winograd' },
  },
  {
    xShape: [3, 9, 11, 5],
    filterShape: [3, 3, 5, 7],
    options: { padding: 'valid', algorithm: 'winograd' },
  },
  {
    xShape: [4, 6, 6, 12],
    filterShape: [3, 3, 12, 3],
    options: {
      padding: [
        [3, 0],
        [1, 3],
      ],
      algorithm: 'winograd',
    },
  },
];

export const matMulCases: MatMulCase[] = [
  { aShape: [1, 1], bShape: [1, 1], options: {} },
  { aShape: [7, 5], bShape: [5, 3], options: {} },
  { aShape: [33, 64], bShape: [33, 17], options: { transposeA: true } },
  { aShape: [50, 20], bShape: [9, 20], options: { transposeB: true } },
  { aShape: [12, 31], bShape: [8, 12], options: { transposeA: true, transposeB: true } },
  { aShape: [32, 288], bShape: [288, 64], options: {} },
  // Few rows and a big b, like a dense layer: a worker executor splits the depth (x·W, and xᵀ-stored a)
  // or the columns of a transposed b (dy·Wᵀ) instead of the rows (see matMulSplit).
  { aShape: [4, 600], bShape: [600, 24], options: {} },
  { aShape: [700, 3], bShape: [700, 40], options: { transposeA: true } },
  { aShape: [4, 24], bShape: [600, 24], options: { transposeB: true } },
  { aShape: [3, 10], bShape: [37, 10], options: { transposeB: true } },
];

function formatOptions(options: Conv2dOptions | MatMulOptions): string {
  return Object.entries(options)
    .map(([key, value]) => `${key}=${JSON.stringify(value)}`)
    .join(' ');
}

export function convCaseName({ xShape, filterShape, options }: ConvCase): string {
  return `x=[${xShape}] f=[${filterShape}] ${formatOptions(options)}`.trim();
}

export function matMulCaseName({ aShape, bShape, options }: MatMulCase): string {
  return `a=[${aShape}] b=[${bShape}] ${formatOptions(options)}`.trim();
}
