// conv2dBackpropFilterPerExample: each example's filter and bias gradient equals
// conv2dBackpropFilter on that example alone, bit for bit, on every backend, with and without
// the fused ReLU; bad sizes are refused with a clear error.

import { Tensor } from '@convoy/tensor';
import { afterEach, describe, expect, it } from 'vitest';
import { setBackend } from '../src/backend-registry.js';
import { conv2dBackpropFilter, conv2dGeometry } from '../src/conv2d.js';
import { conv2dBackpropFilterPerExample } from '../src/conv2d-per-example.js';
import { outputShape } from '../src/geometry.js';
import { everyBackend } from './helpers/backends.js';
import { randomTensor } from './helpers/random.js';
import { expectSameFloats } from './wasm/exact.js';

const cases = [
  {
    name: 'x=[3,6,6,1] f=[3,3,1,2] p=same',
    x: [3, 6, 6, 1],
    filter: [3, 3, 1, 2],
    strides: 1,
    padding: 'same',
  },
  {
    name: 'x=[2,7,5,4] f=[3,3,4,8] p=valid',
    x: [2, 7, 5, 4],
    filter: [3, 3, 4, 8],
    strides: 1,
    padding: 'valid',
  },
  {
    name: 'x=[4,8,8,3] f=[2,2,3,5] s=2 p=same',
    x: [4, 8, 8, 3],
    filter: [2, 2, 3, 5],
    strides: 2,
    padding: 'same',
  },
] as const;

function item(t: Tensor<'float32'>, e: number): Tensor<'float32'> {
  const size = t.size / t.shape[0]!;
  return new Tensor(t.data.slice(e * size, (e + 1) * size), [1, ...t.shape.slice(1)], 'float32');
}

afterEach(() => {
  setBackend(undefined);
});

describe.each(everyBackend)('conv2dBackpropFilterPerExample on $name', ({ backend }) => {
  it.each(cases)('equals the filter and bias gradients of each example alone: $name', (c) => {
    setBackend(backend);
    const options = { padding: c.padding, strides: c.strides } as const;
    const x = randomTensor(c.x, 1);
    const dyShape = outputShape(conv2dGeometry(x.shape, c.filter, options));
    const dy = randomTensor(dyShape, 2);
    const y = randomTensor(dyShape, 3);
    const batch = c.x[0];
    const outChannels = c.filter[3];
    const plain = conv2dBackpropFilterPerExample(x, dy, c.filter, options);
    const biasOut = new Float32Array(batch * outChannels);
    const fused = conv2dBackpropFilterPerExample(x, dy, c.filter, {
      ...options,
      reluOutput: y,
      biasOut,
    });
    expect(plain.shape).toEqual([batch, ...c.filter]);
    const size = plain.size / batch;
    for (let e = 0; e < batch; e++) {
      const alone = conv2dBackpropFilter(item(x, e), item(dy, e), c.filter, options);
      expectSameFloats(plain.data.subarray(e * size, (e + 1) * size), alone.data);
      const bias = new Float32Array(outChannels);
      const aloneFused = conv2dBackpropFilter(item(x, e), item(dy, e), c.filter, {
        ...options,
        reluOutput: item(y, e),
        biasOut: bias,
      });
      expectSameFloats(fused.data.subarray(e * size, (e + 1) * size), aloneFused.data);
      expectSameFloats(biasOut.subarray(e * outChannels, (e + 1) * outChannels), bias);
    }
    // The ReLU mask changed something: the two are not the same numbers.
    expect(Array.from(fused.data)).not.toEqual(Array.from(plain.data));
  });
});

describe('conv2dBackpropFilterPerExample bad input', () => {
  const x = randomTensor([2, 5, 5, 1], 4);
  const dy = randomTensor([2, 5, 5, 3], 5);
  it('refuses a biasOut without one value per example and channel', () => {
    expect(() =>
      conv2dBackpropFilterPerExample(x, dy, [3, 3, 1, 3], {
        padding: 'same',
        biasOut: new Float32Array(3),
      }),
    ).toThrow(
      'conv2dBackpropFilterPerExample: biasOut must hold one value per example and output channel (2 × 3), got 3',
    );
  });
  it('refuses an out of the wrong size', () => {
    expect(() =>
      conv2dBackpropFilterPerExample(x, dy, [3, 3, 1, 3], {
        padding: 'same',
        out: new Float32Array(27),
      }),
    ).toThrow("conv2dBackpropFilterPerExample: out must hold the result's 54 elements, got 27");
  });
});
