// Shapes the WebAssembly kernels are checked on against the reference loops: every padding kind,
// strides 1–3, dilation 2, odd sizes, 1 and many channels, channel counts that are and are not
// multiples of 4 (vector and scalar im2col paths), more channels than the zero-padding area, the
// textbook's two conv layers, and batch ranges that cover all, part, one or none of the batch.

import type { Range } from '../../src/backend.js';
import type { Padding, Pair } from '../../src/geometry.js';

/**
 * A convolution one kernel call runs on, with the batch-item ranges to call it for. (The executor
 * tests' ConvCase is a whole conv2d call: shapes and Conv2dOptions.)
 */
export interface KernelConvCase {
  xShape: [number, number, number, number];
  /** HWIO */
  filterShape: [number, number, number, number];
  strides: Pair;
  padding: Padding;
  dilations: Pair;
  ranges: Range[];
}

export const kernelConvCases: KernelConvCase[] = [
  {
    xShape: [3, 7, 9, 5],
    filterShape: [3, 2, 5, 6],
    strides: 1,
    padding: 'same',
    dilations: 1,
    ranges: [
      { start: 0, end: 3 },
      { start: 1, end: 3 },
    ],
  },
  {
    xShape: [2, 11, 10, 8],
    filterShape: [3, 3, 8, 13],
    strides: 2,
    padding: 'valid',
    dilations: 1,
    ranges: [
      { start: 0, end: 2 },
      { start: 1, end: 2 },
    ],
  },
  {
    xShape: [2, 9, 9, 4],
    filterShape: [3, 3, 4, 9],
    strides: 1,
    padding: 'same',
    dilations: 2,
    ranges: [{ start: 0, end: 1 }],
  },
  {
    xShape: [3, 13, 12, 3],
    filterShape: [4, 3, 3, 5],
    strides: 3,
    padding: [
      [1, 2],
      [0, 3],
    ],
    dilations: 1,
    ranges: [
      { start: 0, end: 3 },
      { start: 2, end: 3 },
    ],
  },
  {
    xShape: [2, 8, 8, 16],
    filterShape: [1, 1, 16, 12],
    strides: 3,
    padding: 'valid',
    dilations: 1,
    ranges: [{ start: 0, end: 2 }],
  },
  {
    xShape: [5, 6, 7, 2],
    filterShape: [2, 2, 2, 7],
    strides: [1, 2],
    padding: 'same',
    dilations: [2, 1],
    ranges: [
      { start: 1, end: 4 },
      { start: 3, end: 3 },
    ],
  },
  // Stride 1 with padding wider than the window: the input gradient cannot be a transposed conv.
  {
    xShape: [2, 5, 5, 3],
    filterShape: [2, 2, 3, 4],
    strides: 1,
    padding: [
      [2, 0],
      [0, 3],
    ],
    dilations: 1,
    ranges: [{ start: 0, end: 2 }],
  },
  {
    xShape: [1, 5, 6, 1028],
    filterShape: [3, 3, 1028, 3],
    strides: 1,
    padding: 'same',
    dilations: 1,
    ranges: [{ start: 0, end: 1 }],
  },
  // The textbook's model 1: layer 1 (1 → 32 channels) and layer 2 (32 → 64), 3×3 same.
  {
    xShape: [4, 28, 28, 1],
    filterShape: [3, 3, 1, 32],
    strides: 1,
    padding: 'same',
    dilations: 1,
    ranges: [
      { start: 0, end: 4 },
      { start: 1, end: 3 },
    ],
  },
  // Few output channels take the direct kernel (and few input channels make the input gradient,
  // a transposed conv, take it too): grayscale images wide enough for its 16-pixel runs, every
  // stride and a dilation, widths that leave 1–3 pixels over, explicit and valid padding.
  {
    xShape: [2, 9, 37, 1],
    filterShape: [3, 3, 1, 1],
    strides: 1,
    padding: 'same',
    dilations: 1,
    ranges: [
      { start: 0, end: 2 },
      { start: 1, end: 2 },
    ],
  },
  {
    xShape: [3, 11, 50, 1],
    filterShape: [3, 3, 1, 2],
    strides: 2,
    padding: 'same',
    dilations: 1,
    ranges: [
      { start: 0, end: 3 },
      { start: 1, end: 2 },
    ],
  },
  {
    xShape: [2, 13, 61, 3],
    filterShape: [3, 3, 3, 3],
    strides: 3,
    padding: 'valid',
    dilations: 1,
    ranges: [{ start: 1, end: 2 }],
  },
  {
    xShape: [2, 12, 41, 2],
    filterShape: [3, 3, 2, 1],
    strides: 1,
    padding: 'same',
    dilations: 2,
    ranges: [
      { start: 0, end: 2 },
      { start: 0, end: 1 },
    ],
  },
  {
    xShape: [1, 7, 35, 1],
    filterShape: [5, 4, 1, 2],
    strides: [2, 1],
    padding: [
      [3, 1],
      [0, 4],
    ],
    dilations: 1,
    ranges: [{ start: 0, end: 1 }],
  },
  // Smaller than the 3×3 window and than one 4-pixel vector: every tap of every pixel is an edge.
  {
    xShape: [2, 2, 3, 1],
    filterShape: [3, 3, 1, 1],
    strides: 1,
    padding: 'same',
    dilations: 1,
    ranges: [{ start: 0, end: 2 }],
  },
  // The textbook's model 3 first layer (1 → 2) and a 32 → 1 layer (the input gradient of 1 → 32).
  {
    xShape: [3, 28, 28, 1],
    filterShape: [3, 3, 1, 2],
    strides: 1,
    padding: 'same',
    dilations: 1,
    ranges: [
      { start: 0, end: 3 },
      { start: 2, end: 3 },
    ],
  },
  // One input channel, stride 1, where the filter gradient packs four pixels at a time: with a
  // dilation, and with depths that leave 1, 2 or 3 rows of a last panel (9, 6, 3 taps).
  {
    xShape: [2, 9, 30, 1],
    filterShape: [3, 3, 1, 4],
    strides: 1,
    padding: 'same',
    dilations: 2,
    ranges: [
      { start: 0, end: 2 },
      { start: 1, end: 2 },
    ],
  },
  {
    xShape: [2, 7, 23, 1],
    filterShape: [2, 3, 1, 5],
    strides: [2, 1],
    padding: 'valid',
    dilations: 1,
    ranges: [{ start: 0, end: 2 }],
  },
  {
    xShape: [3, 5, 17, 1],
    filterShape: [1, 3, 1, 9],
    strides: 1,
    padding: 'same',
    dilations: 1,
    ranges: [{ start: 0, end: 3 }],
  },
  {
    xShape: [2, 10, 19, 32],
    filterShape: [3, 3, 32, 1],
    strides: 1,
    padding: 'valid',
    dilations: 1,
    ranges: [{ start: 0, end: 2 }],
  },
  // Batch 8 of layer 2 spans two copy groups and many pixel blocks, crossing item boundaries.
  {
    xShape: [8, 14, 14, 32],
    filterShape: [3, 3, 32, 64],
    strides: 1,
    padding: 'same',
    dilations: 1,
    ranges: [
      { start: 0, end: 8 },
      { start: 1, end: 8 },
    ],
  },
];

/**
 * Items larger than the direct kernel's copy budget (512K floats in + out), which it takes in
 * bands of output rows: band edges inside the image, strides and dilations that make bands overlap
 * in their input rows, padding on every side. Checked for the forward pass and the input gradient
 * (the two that reach the direct kernel); their filter gradients are sums of 10⁵–10⁶ products,
 * longer than float32 can match a reference to 1e-5.
 */
export const largeItemCases: KernelConvCase[] = [
  {
    xShape: [2, 600, 500, 1],
    filterShape: [3, 3, 1, 2],
    strides: 1,
    padding: 'same',
    dilations: 1,
    ranges: [
      { start: 0, end: 2 },
      { start: 1, end: 2 },
    ],
  },
  {
    xShape: [1, 1201, 450, 1],
    filterShape: [5, 3, 1, 1],
    strides: [2, 1],
    padding: [
      [3, 4],
      [1, 1],
    ],
    dilations: [2, 1],
    ranges: [{ start: 0, end: 1 }],
  },
  {
    xShape: [1, 2000, 300, 3],
    filterShape: [3, 3, 3, 1],
    strides: 3,
    padding: 'valid',
    dilations: 1,
    ranges: [{ start: 0, end: 1 }],
  },
];

/** A matMul one kernel call runs on, with the row ranges to call it for. */
export interface KernelMatMulCase {
  m: number;
  k: number;
  n: number;
  transposeA: boolean;
  transposeB: boolean;
  ranges: Range[];
}

export const kernelMatMulCases: KernelMatMulCase[] = [
  {
    m: 7,
    k: 13,
    n: 21,
    transposeA: false,
    transposeB: false,
    ranges: [
      { start: 0, end: 7 },
      { start: 2, end: 6 },
    ],
  },
  {
    m: 33,
    k: 300,
    n: 17,
    transposeA: true,
    transposeB: false,
    ranges: [
      { start: 0, end: 33 },
      { start: 5, end: 32 },
    ],
  },
  {
    m: 64,
    k: 513,
    n: 600,
    transposeA: false,
    transposeB: true,
    ranges: [
      { start: 0, end: 64 },
      { start: 3, end: 40 },
    ],
  },
  {
    m: 5,
    k: 9,
    n: 3,
    transposeA: true,
    transposeB: true,
    ranges: [
      { start: 0, end: 5 },
      { start: 4, end: 5 },
    ],
  },
  {
    m: 1,
    k: 1,
    n: 1,
    transposeA: false,
    transposeB: false,
    ranges: [
      { start: 0, end: 1 },
      { start: 1, end: 1 },
    ],
  },
  // The textbook's dense layer (12544 → 128) on a batch of 6.
  {
    m: 6,
    k: 12544,
    n: 128,
    transposeA: false,
    transposeB: false,
    ranges: [
      { start: 0, end: 6 },
      { start: 1, end: 4 },
    ],
  },
  // Its input gradient dy·Wᵀ (a transposed B: packed by 4×4 transposes, 4 depth steps at a
  // time), and a transposed B whose depth leaves 2 steps over and whose last panel is partial.
  {
    m: 6,
    k: 128,
    n: 12544,
    transposeA: false,
    transposeB: true,
    ranges: [
      { start: 0, end: 6 },
      { start: 2, end: 5 },
    ],
  },
  {
    m: 3,
    k: 130,
    n: 37,
    transposeA: true,
    transposeB: true,
    ranges: [
      { start: 0, end: 3 },
      { start: 1, end: 2 },
    ],
  },
];
