// The textbook's walk-through (chapter 5, section 1) as golden tests: each example's image and
// filter, with the values the chapter prints, through both the active backend and the reference
// loops. Images are HW or HWC and filters HW or HWIO in the fixture; they gain a batch axis (and
// channel axes) here to become NHWC / HWIO.

import { type NestedArray, type Tensor, tensor } from '@convoy/tensor';
import { describe, expect, it } from 'vitest';
import * as ops from '../src/index.js';
import { type ConvExample, loadTextbookExamples, type PoolExample } from './helpers/fixtures.js';

const { examples } = loadTextbookExamples();

function conv(name: string): ConvExample {
  const example = examples[name];
  if (!example || !('image' in example)) throw new Error(`fixture ${name} is not a conv example`);
  return example;
}

/** HW -> [1, H, W, 1]; HWC -> [1, H, W, C]. */
function asNhwc(values: NestedArray): Tensor<'float32'> {
  const t = tensor(values);
  return t.rank === 2 ? t.reshape([1, t.shape[0]!, t.shape[1]!, 1]) : t.reshape([1, ...t.shape]);
}

/** HW -> [H, W, 1, 1]; HWIO stays. */
function asHwio(values: NestedArray): Tensor<'float32'> {
  const t = tensor(values);
  return t.rank === 2 ? t.reshape([t.shape[0]!, t.shape[1]!, 1, 1]) : t;
}

const implementations = [
  { name: 'active backend', conv2d: ops.conv2d, maxPool2d: ops.maxPool2d },
  { name: 'reference', conv2d: ops.reference.conv2d, maxPool2d: ops.reference.maxPool2d },
];

describe.each(implementations)('textbook chapter 5.1 golden values ($name)', (impl) => {
  function convolve(example: ConvExample) {
    return impl.conv2d(asNhwc(example.image), asHwio(example.filter), {
      strides: example.strides,
      padding: example.padding,
    });
  }

  it('512_1 (§02 3x3 input, filter size): one product-sum of a 3x3 image and filter is 38 — conv2d x=[1,3,3,1] f=[3,3,1,1] s=1 p=valid', () => {
    const example = conv('512_1');
    const y = convolve(example);
    expect(y.shape).toEqual([1, 1, 1, 1]);
    expect(y.data[0]).toBe(38);
    expect(y.toArray()).toEqual([[[[38]]]]);
  });

  it('513_1 (§03 4x4 input, stride): a 3x3 window sliding by 1 over 4x4 gives 2x2 [[31,27],[45,23]] — conv2d x=[1,4,4,1] f=[3,3,1,1] s=1 p=valid', () => {
    const example = conv('513_1');
    const y = convolve(example);
    expect(y.shape).toEqual([1, 2, 2, 1]);
    expect(y.reshape([2, 2]).toArray()).toEqual([
      [31, 27],
      [45, 23],
    ]);
    expect(y.reshape([2, 2]).toArray()).toEqual(example.output);
  });

  it('514_1 (§04 6x6 input, padding): zero padding of 1 keeps 4x4, first row 16 25 10 4 — conv2d x=[1,4,4,1] f=[3,3,1,1] s=1 p=same', () => {
    const example = conv('514_1');
    const y = convolve(example);
    expect(y.shape).toEqual([1, 4, 4, 1]);
    const rows = y.reshape([4, 4]).toArray() as number[][];
    expect(rows[0]).toEqual([16, 25, 10, 4]);
    expect(rows).toEqual(example.output);
    // The chapter pads by one on every side explicitly; 'same' must mean exactly that here.
    const explicit = impl.conv2d(asNhwc(example.image), asHwio(example.filter), {
      padding: [
        [1, 1],
        [1, 1],
      ],
    });
    expect(explicit.toArray()).toEqual(y.toArray());
    // The chapter's size formula floor((N + 2P - K) / S) + 1 = floor((4 + 2 - 3) / 1) + 1 = 4.
    expect(ops.conv2dGeometry([1, 4, 4, 1], [3, 3, 1, 1], { padding: 'same' }).outHeight).toBe(4);
  });

  it('515_1 (§05 pooling): 2x2 max pooling, stride 2, of 514_1 gives [[38,27],[48,49]] — maxPool2d x=[1,4,4,1] k=2 s=2 p=valid', () => {
    const example = examples['515_1'] as PoolExample;
    const pooled = impl.maxPool2d(asNhwc(example.input), {
      poolSize: example.pool,
      strides: example.strides,
    });
    expect(pooled.shape).toEqual([1, 2, 2, 1]);
    expect(pooled.reshape([2, 2]).toArray()).toEqual([
      [38, 27],
      [48, 49],
    ]);
    expect(pooled.reshape([2, 2]).toArray()).toEqual(example.output);
    // And chained after the convolution of 514_1, as the chapter does.
    const fromConv = impl.maxPool2d(convolve(conv('514_1')), { poolSize: 2 });
    expect(fromConv.toArray()).toEqual(pooled.toArray());
  });

  it('516_1 (§06 more filters): two 3x3 filters give a 4x4x2 feature map, pooled to 2x2x2 — conv2d x=[1,4,4,1] f=[3,3,1,2] s=1 p=same, maxPool2d k=2', () => {
    const example = conv('516_1');
    const filter = asHwio(example.filter);
    expect(filter.shape).toEqual([3, 3, 1, 2]);
    const y = convolve(example);
    expect(y.shape).toEqual([1, 4, 4, 2]);
    expect(y.reshape([4, 4, 2]).toArray()).toEqual(example.output);
    // The chapter prints each filter's image separately; channel 1 starts 7 16 4 1.
    expect([0, 1, 2, 3].map((col) => y.get(0, 0, col, 1))).toEqual([7, 16, 4, 1]);
    const pooled = impl.maxPool2d(y, { poolSize: 2, strides: 2 });
    expect(pooled.shape).toEqual([1, 2, 2, 2]);
    expect(pooled.reshape([2, 2, 2]).toArray()).toEqual(example.maxpool_output);
    expect([
      pooled.get(0, 0, 0, 1),
      pooled.get(0, 0, 1, 1),
      pooled.get(0, 1, 0, 1),
      pooled.get(0, 1, 1, 1),
    ]).toEqual([33, 32, 39, 21]);
  });

  it('518_1 (§08 3x3x2 input): the per-channel product-sums add up to one value, 64 — conv2d x=[1,3,3,2] f=[3,3,2,1] s=1 p=valid', () => {
    const example = conv('518_1');
    const y = convolve(example);
    expect(y.shape).toEqual([1, 1, 1, 1]);
    expect(y.data[0]).toBe(64);
    expect(y.reshape([1, 1, 1]).toArray()).toEqual(example.output);
  });

  it('519_1 (§09 6x6x2 input): a two-channel image padded to 6x6x2 gives one 4x4 map — conv2d x=[1,4,4,2] f=[3,3,2,1] s=1 p=same', () => {
    const example = conv('519_1');
    const y = convolve(example);
    expect(y.shape).toEqual([1, 4, 4, 1]);
    expect(y.reshape([4, 4, 1]).toArray()).toEqual(example.output);
    expect([0, 1, 2, 3].map((col) => y.get(0, 0, col, 0))).toEqual([56, 55, 47, 47]);
  });

  it('5110_1 (§10 6x6x2 input, more filters): 3x3x2x2 filters give 4x4x2, first rows 32 47 35 39 and 43 60 42 39 — conv2d x=[1,4,4,2] f=[3,3,2,2] s=1 p=same', () => {
    const example = conv('5110_1');
    const filter = asHwio(example.filter);
    expect(filter.shape).toEqual([3, 3, 2, 2]);
    const y = convolve(example);
    expect(y.shape).toEqual([1, 4, 4, 2]);
    expect([0, 1, 2, 3].map((col) => y.get(0, 0, col, 0))).toEqual([32, 47, 35, 39]);
    expect([0, 1, 2, 3].map((col) => y.get(0, 0, col, 1))).toEqual([43, 60, 42, 39]);
    expect(y.reshape([4, 4, 2]).toArray()).toEqual(example.output);
  });

  it('5111_1 (§11 6x6x3 input): three input channels, two filters, 4x4x2 — conv2d x=[1,4,4,3] f=[3,3,3,2] s=1 p=same', () => {
    const example = conv('5111_1');
    const filter = asHwio(example.filter);
    expect(filter.shape).toEqual([3, 3, 3, 2]);
    const y = convolve(example);
    expect(y.shape).toEqual([1, 4, 4, 2]);
    expect(y.reshape([4, 4, 2]).toArray()).toEqual(example.output);
    expect([0, 1, 2, 3].map((col) => y.get(0, 0, col, 0))).toEqual([70, 96, 87, 59]);
  });
});

describe('textbook fixture', () => {
  it('holds every example of the chapter walk-through', () => {
    expect(Object.keys(examples).sort()).toEqual(
      ['512_1', '513_1', '514_1', '515_1', '516_1', '518_1', '519_1', '5110_1', '5111_1'].sort(),
    );
  });
});
