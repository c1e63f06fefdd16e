// Bad input to the convolution and pooling ops: each is a clear error naming the op, what was
// expected and the shapes that came.

import { tensor } from '@convoy/tensor';
import { describe, expect, it } from 'vitest';
import * as ops from '../src/index.js';
import { randomTensor } from './helpers/random.js';

const x = randomTensor([1, 4, 4, 3], 1);
const filter = randomTensor([3, 3, 3, 2], 2);

describe('conv2d bad input', () => {
  it('wrong rank of the input or the filter', () => {
    expect(() => ops.conv2d(randomTensor([28, 28], 1), filter)).toThrow(
      'conv2d: input must be rank 4 [batch, height, width, channels], got shape [28, 28]',
    );
    expect(() => ops.conv2d(x, randomTensor([3, 3, 3], 2))).toThrow(
      'conv2d: filter must be rank 4 [filterHeight, filterWidth, inChannels, outChannels], got shape [3, 3, 3]',
    );
  });

  it('channel mismatch between input and filter', () => {
    expect(() => ops.conv2d(x, randomTensor([3, 3, 2, 8], 2))).toThrow(
      "conv2d: input channels (3) must equal the filter's inChannels (2): input [1, 4, 4, 3], filter [3, 3, 2, 8]",
    );
  });

  it.each([0, -1, 1.5, [1, 0]])('strides %j', (strides) => {
    expect(() => ops.conv2d(x, filter, { strides: strides as number })).toThrow(
      `conv2d: strides must be positive integers (a number or [height, width]), got ${JSON.stringify(strides)} (input [1, 4, 4, 3], window [3, 3, 3, 2])`,
    );
  });

  it('zero dilations', () => {
    expect(() => ops.conv2d(x, filter, { dilations: 0 })).toThrow(
      /^conv2d: dilations must be positive integers/,
    );
  });

  it('a filter larger than the padded input', () => {
    expect(() => ops.conv2d(x, randomTensor([5, 5, 3, 2], 3))).toThrow(
      'conv2d: window [5, 5, 3, 2] is larger than the padded input: input [1, 4, 4, 3], padding "valid"',
    );
    expect(() => ops.conv2d(x, filter, { dilations: 2 })).toThrow(
      /conv2d: window \[3, 3, 3, 2\] \(dilations 2x2\)/,
    );
  });

  it('bad padding', () => {
    expect(() => ops.conv2d(x, filter, { padding: 'full' as 'same' })).toThrow(
      `conv2d: padding must be 'same', 'valid' or [[top, bottom], [left, right]] of non-negative integers, got "full"`,
    );
    expect(() =>
      ops.conv2d(x, filter, {
        padding: [
          [1, -1],
          [0, 0],
        ],
      }),
    ).toThrow(/conv2d: padding must be/);
  });

  it('a filter with zero height', () => {
    expect(() => ops.conv2d(x, tensor(new Float32Array(0), [0, 3, 3, 2]))).toThrow(
      'conv2d: filter height and width must be positive, got filter [0, 3, 3, 2]',
    );
  });

  it('non-float32 input', () => {
    expect(() => ops.conv2d(tensor(new Int32Array(48), [1, 4, 4, 3]) as never, filter)).toThrow(
      'conv2d: input must be float32, got int32 of shape [1, 4, 4, 3]',
    );
  });

  it('backprops: dy not of the conv2d output shape', () => {
    const dy = randomTensor([1, 4, 4, 2], 4); // valid padding gives [1, 2, 2, 2]
    expect(() => ops.conv2dBackpropInput(dy, filter, x.shape)).toThrow(
      'conv2dBackpropInput: dy must have the conv2d output shape [1, 2, 2, 2], got [1, 4, 4, 2] (input [1, 4, 4, 3], filter [3, 3, 3, 2])',
    );
    expect(() => ops.conv2dBackpropFilter(x, dy, filter.shape)).toThrow(
      'conv2dBackpropFilter: dy must have the conv2d output shape [1, 2, 2, 2], got [1, 4, 4, 2] (input [1, 4, 4, 3], filter [3, 3, 3, 2])',
    );
  });

  it('backprops: the shape being differentiated is checked like a forward one', () => {
    const dy = randomTensor([1, 2, 2, 2], 5);
    expect(() => ops.conv2dBackpropInput(dy, filter, [4, 4, 3])).toThrow(
      'conv2dBackpropInput: input must be rank 4 [batch, height, width, channels], got shape [4, 4, 3]',
    );
    expect(() => ops.conv2dBackpropFilter(x, dy, [3, 3, 4, 2])).toThrow(
      "conv2dBackpropFilter: input channels (3) must equal the filter's inChannels (4)",
    );
  });
});

describe('pooling bad input', () => {
  it('wrong rank', () => {
    expect(() => ops.maxPool2d(randomTensor([4, 4, 3], 1))).toThrow(
      'maxPool2d: input must be rank 4 [batch, height, width, channels], got shape [4, 4, 3]',
    );
    expect(() => ops.avgPool2dBackward(randomTensor([1, 2, 2, 3], 1), [4, 4])).toThrow(
      'avgPool2dBackward: input must be rank 4 [batch, height, width, channels], got shape [4, 4]',
    );
  });

  it.each([
    { op: 'maxPool2d', run: (options: ops.PoolingOptions) => ops.maxPool2d(x, options) },
    { op: 'avgPool2d', run: (options: ops.PoolingOptions) => ops.avgPool2d(x, options) },
  ])('$op: zero or negative strides and pool sizes', ({ op, run }) => {
    expect(() => run({ strides: 0 })).toThrow(
      `${op}: strides must be positive integers (a number or [height, width]), got 0 (input [1, 4, 4, 3], window [2, 2])`,
    );
    expect(() => run({ strides: [-1, 2] })).toThrow(`${op}: strides must be positive integers`);
    expect(() => run({ poolSize: 0 })).toThrow(
      `${op}: poolSize must be positive integers (a number or [height, width]), got 0 (input [1, 4, 4, 3])`,
    );
  });

  it('a pooling window larger than the padded input', () => {
    expect(() => ops.maxPool2d(x, { poolSize: 5 })).toThrow(
      'maxPool2d: window [5, 5] is larger than the padded input: input [1, 4, 4, 3], padding "valid"',
    );
    expect(() =>
      ops.avgPool2d(x, {
        poolSize: [2, 6],
        padding: [
          [0, 0],
          [1, 0],
        ],
      }),
    ).toThrow(/avgPool2d: window \[2, 6\] .*is larger than the padded input: input \[1, 4, 4, 3\]/);
  });

  it('explicit padding as large as the window (a window of padding alone)', () => {
    expect(() =>
      ops.maxPool2d(x, {
        poolSize: 2,
        padding: [
          [2, 0],
          [0, 0],
        ],
      }),
    ).toThrow(
      'maxPool2d: padding [[2,0],[0,0]] must be smaller than the pool window [2, 2] on every side: input [1, 4, 4, 3]',
    );
  });

  it('backward: dy not of the pooled shape', () => {
    expect(() => ops.maxPool2dBackward(randomTensor([1, 4, 4, 3], 2), x)).toThrow(
      'maxPool2dBackward: dy must have the pooled output shape [1, 2, 2, 3], got [1, 4, 4, 3] (input [1, 4, 4, 3], window [2, 2])',
    );
  });
});
