// conv2d and its two gradients: forward against an independent literal convolution (with the
// padding each case should get worked out by hand), TensorFlow's 'same' rule, and central-
// difference checks of conv2dBackpropInput and conv2dBackpropFilter across strides 1–3, both
// paddings, explicit padding, dilation 2, several channel counts and batch > 1.

import { type Shape, tensor } from '@convoy/tensor';
import { describe, expect, it } from 'vitest';
import type { Padding } from '../src/geometry.js';
import * as ops from '../src/index.js';
import { expectClose } from './helpers/close.js';
import { dotLoss, expectGradient } from './helpers/gradient.js';
import { naiveConv2d } from './helpers/naive-conv.js';
import { randomTensor } from './helpers/random.js';

/** A convolution and the padding it must get. */
interface ConvPaddingCase {
  x: Shape;
  f: Shape;
  strides: [number, number];
  padding: Padding;
  dilations: [number, number];
  /** The padding this case must get, [top, bottom, left, right], worked out by hand. */
  pads: [number, number, number, number];
}

const cases: ConvPaddingCase[] = [
  {
    x: [2, 5, 5, 1],
    f: [3, 3, 1, 1],
    strides: [1, 1],
    padding: 'valid',
    dilations: [1, 1],
    pads: [0, 0, 0, 0],
  },
  // out = ceil(5/1) = 5; total = 4 + 3 - 5 = 2 -> 1 each side.
  {
    x: [2, 5, 5, 2],
    f: [3, 3, 2, 3],
    strides: [1, 1],
    padding: 'same',
    dilations: [1, 1],
    pads: [1, 1, 1, 1],
  },
  // out = ceil(6/2) = 3; total = 2·2 + 3 - 6 = 1 -> the odd pixel goes bottom/right (TensorFlow).
  {
    x: [2, 6, 6, 3],
    f: [3, 3, 3, 2],
    strides: [2, 2],
    padding: 'same',
    dilations: [1, 1],
    pads: [0, 1, 0, 1],
  },
  {
    x: [2, 7, 6, 2],
    f: [2, 3, 2, 2],
    strides: [2, 2],
    padding: 'valid',
    dilations: [1, 1],
    pads: [0, 0, 0, 0],
  },
  // out = ceil(7/3) = 3; total = 2·3 + 3 - 7 = 2.
  {
    x: [2, 7, 7, 2],
    f: [3, 3, 2, 2],
    strides: [3, 3],
    padding: 'same',
    dilations: [1, 1],
    pads: [1, 1, 1, 1],
  },
  // Stride 3 over a 2-wide window: some pixels are never seen and must get zero gradient.
  {
    x: [2, 8, 7, 1],
    f: [2, 2, 1, 3],
    strides: [3, 3],
    padding: 'valid',
    dilations: [1, 1],
    pads: [0, 0, 0, 0],
  },
  // Dilation 2: effective window 5; total = 6 + 5 - 7 = 4.
  {
    x: [2, 7, 7, 2],
    f: [3, 3, 2, 2],
    strides: [1, 1],
    padding: 'same',
    dilations: [2, 2],
    pads: [2, 2, 2, 2],
  },
  {
    x: [2, 8, 8, 3],
    f: [2, 3, 3, 2],
    strides: [2, 2],
    padding: 'valid',
    dilations: [2, 2],
    pads: [0, 0, 0, 0],
  },
  // Rows: effective 5, out 6, total 5 + 5 - 6 = 4. Columns: out ceil(5/2) = 3, total 4 + 2 - 5 = 1.
  {
    x: [2, 6, 5, 2],
    f: [3, 2, 2, 2],
    strides: [1, 2],
    padding: 'same',
    dilations: [2, 1],
    pads: [2, 2, 0, 1],
  },
  // Even kernel with 'same': total 1, all of it bottom/right.
  {
    x: [2, 5, 5, 2],
    f: [2, 2, 2, 2],
    strides: [1, 1],
    padding: 'same',
    dilations: [1, 1],
    pads: [0, 1, 0, 1],
  },
  {
    x: [3, 5, 6, 2],
    f: [3, 3, 2, 2],
    strides: [2, 2],
    padding: [
      [1, 2],
      [0, 1],
    ],
    dilations: [1, 1],
    pads: [1, 2, 0, 1],
  },
];

function describeCase(c: ConvPaddingCase): string {
  const padding = typeof c.padding === 'string' ? c.padding : JSON.stringify(c.padding);
  return `x=[${c.x}] f=[${c.f}] s=[${c.strides}] p=${padding} d=[${c.dilations}]`;
}

const implementations = [
  {
    name: 'active backend',
    conv2d: ops.conv2d,
    backpropInput: ops.conv2dBackpropInput,
    backpropFilter: ops.conv2dBackpropFilter,
  },
  {
    name: 'reference',
    conv2d: ops.reference.conv2d,
    backpropInput: ops.reference.conv2dBackpropInput,
    backpropFilter: ops.reference.conv2dBackpropFilter,
  },
];

describe.each(implementations)('conv2d ($name)', (impl) => {
  describe.each(cases.map((c) => ({ ...c, label: describeCase(c) })))('$label', (c) => {
    const options = { strides: c.strides, padding: c.padding, dilations: c.dilations };
    const x = randomTensor(c.x, 11);
    const filter = randomTensor(c.f, 12);

    it('gets the padding worked out by hand and matches a literal convolution of the padded image', () => {
      const g = ops.conv2dGeometry(c.x, c.f, options);
      expect([g.padTop, g.padBottom, g.padLeft, g.padRight]).toEqual(c.pads);
      const [top, bottom, left, right] = c.pads;
      const expected = naiveConv2d(x, filter, c.strides, { top, bottom, left, right }, c.dilations);
      const y = impl.conv2d(x, filter, options);
      expect(y.shape).toEqual(ops.outputShape(g));
      expectClose(y, expected, { rtol: 1e-5, atol: 1e-5 });
    });

    it('conv2dBackpropInput matches central differences', () => {
      const y = impl.conv2d(x, filter, options);
      const dy = randomTensor(y.shape, 13);
      const dx = impl.backpropInput(dy, filter, x.shape, options);
      expect(dx.shape).toEqual(x.shape);
      expectGradient({
        loss: () => dotLoss(impl.conv2d(x, filter, options), dy),
        values: x.data,
        analytic: dx.data,
      });
    });

    it('conv2dBackpropFilter matches central differences', () => {
      const y = impl.conv2d(x, filter, options);
      const dy = randomTensor(y.shape, 14);
      const dw = impl.backpropFilter(x, dy, filter.shape, options);
      expect(dw.shape).toEqual(filter.shape);
      expectGradient({
        loss: () => dotLoss(impl.conv2d(x, filter, options), dy),
        values: filter.data,
        analytic: dw.data,
      });
    });
  });
});

describe('conv2d semantics', () => {
  const x = tensor(
    Array.from({ length: 16 }, (_, i) => i + 1),
    [1, 4, 4, 1],
  );

  it('is cross-correlation (the filter is not flipped), as in TensorFlow and the textbook', () => {
    const picksTopLeft = tensor([1, 0, 0, 0], [2, 2, 1, 1]);
    const y = ops.conv2d(x, picksTopLeft);
    expect(y.reshape([3, 3]).toArray()).toEqual([
      [1, 2, 3],
      [5, 6, 7],
      [9, 10, 11],
    ]);
  });

  it('conv2d x=[1,4,4,1] f=[2,2,1,1] s=2 p=valid sums each 2x2 block', () => {
    const y = ops.conv2d(x, tensor([1, 1, 1, 1], [2, 2, 1, 1]), { strides: 2 });
    expect(y.reshape([2, 2]).toArray()).toEqual([
      [1 + 2 + 5 + 6, 3 + 4 + 7 + 8],
      [9 + 10 + 13 + 14, 11 + 12 + 15 + 16],
    ]);
  });

  it("conv2d x=[1,3,3,1] f=[2,2,1,1] s=1 p=same pads only bottom and right (TensorFlow's rule)", () => {
    const small = tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
    const y = ops.conv2d(small, tensor([1, 1, 1, 1], [2, 2, 1, 1]), { padding: 'same' });
    expect(y.reshape([3, 3]).toArray()).toEqual([
      [1 + 2 + 4 + 5, 2 + 3 + 5 + 6, 3 + 6],
      [4 + 5 + 7 + 8, 5 + 6 + 8 + 9, 6 + 9],
      [7 + 8, 8 + 9, 9],
    ]);
  });

  it('a 1x1 convolution is a matrix multiply over pixels: conv2d x=[2,3,4,5] f=[1,1,5,3]', () => {
    const input = randomTensor([2, 3, 4, 5], 21);
    const filter = randomTensor([1, 1, 5, 3], 22);
    const y = ops.conv2d(input, filter);
    const expected = ops.matMul(input.reshape([24, 5]), filter.reshape([5, 3]));
    expectClose(y.reshape([24, 3]), expected, { rtol: 1e-6, atol: 1e-6 });
  });

  it('keeps batch items independent: conv2d of a batch equals conv2d of each item', () => {
    const batch = randomTensor([3, 5, 5, 2], 23);
    const filter = randomTensor([3, 3, 2, 4], 24);
    const y = ops.conv2d(batch, filter, { padding: 'same', strides: 2 });
    const itemSize = 5 * 5 * 2;
    for (let b = 0; b < 3; b++) {
      const item = tensor(batch.data.slice(b * itemSize, (b + 1) * itemSize), [1, 5, 5, 2]);
      const single = ops.conv2d(item, filter, { padding: 'same', strides: 2 });
      const outSize = single.size;
      expect(Array.from(y.data.slice(b * outSize, (b + 1) * outSize))).toEqual(
        Array.from(single.data),
      );
    }
  });

  it('gives zero input gradient to pixels no window reaches (stride 3, 2x2 filter)', () => {
    const dy = randomTensor([1, 2, 2, 1], 25);
    const dx = ops.conv2dBackpropInput(dy, randomTensor([2, 2, 1, 1], 26), [1, 6, 6, 1], {
      strides: 3,
    });
    const unseen = [2, 5]; // rows and columns 2 and 5 fall between windows
    for (const row of unseen)
      for (let col = 0; col < 6; col++) expect(dx.get(0, row, col, 0)).toBe(0);
    for (const col of unseen)
      for (let row = 0; row < 6; row++) expect(dx.get(0, row, col, 0)).toBe(0);
  });

  it('handles an empty batch: conv2d x=[0,4,4,1] f=[3,3,1,2] -> [0,2,2,2]', () => {
    const y = ops.conv2d(tensor(new Float32Array(0), [0, 4, 4, 1]), randomTensor([3, 3, 1, 2], 27));
    expect(y.shape).toEqual([0, 2, 2, 2]);
  });
});
