// biasAddRelu and its backward against the composition of the unfused ops they replace, exactly:
// relu(biasAdd(x, b)), and reluBackward then biasAddBackward. Odd sizes, batch > 1, channels 1, 3
// and 64, dense rows, special values, in place and into a caller's buffer.

import { type Shape, sizeOf, Tensor, tensor } from '@convoy/tensor';
import { describe, expect, it } from 'vitest';
import * as ops from '../src/index.js';
import { randomTensor } from './helpers/random.js';

const shapes: Shape[] = [[3, 5, 7, 1], [2, 4, 3, 3], [2, 9, 5, 64], [7, 128], [1, 10], [5]];

describe.each(shapes.map((shape) => ({ shape, label: `x=[${shape}]` })))(
  'biasAddRelu $label',
  ({ shape }) => {
    const channels = shape[shape.length - 1]!;
    const x = randomTensor(shape, 21);
    const bias = randomTensor([channels], 22, { min: -0.5, max: 0.5 });

    it('forward equals relu(biasAdd(x, bias)) exactly, allocating or in place', () => {
      const expected = ops.relu(ops.biasAdd(x, bias));
      expect(ops.biasAddRelu(x, bias).data).toEqual(expected.data);
      const copy = x.clone();
      const inPlace = ops.biasAddRelu(copy, bias, { inPlace: true });
      expect(inPlace.data).toBe(copy.data);
      expect(inPlace.data).toEqual(expected.data);
      expect(inPlace.shape).toEqual(shape);
    });

    it('backward equals reluBackward then biasAddBackward exactly, allocating or into out', () => {
      const z = ops.biasAdd(x, bias);
      const y = ops.relu(z);
      const dy = randomTensor(shape, 23);
      const dz = ops.reluBackward(dy, z);
      const fused = ops.biasAddReluBackward(dy, y);
      expect(fused.dx.data).toEqual(dz.data);
      expect(fused.dBias.data).toEqual(ops.biasAddBackward(dz).data);
      expect(fused.dBias.shape).toEqual([channels]);
      // The same on the reference backend's loop (the active backend is WebAssembly here).
      const loops = ops.reference.biasAddReluBackward(dy, y);
      expect(loops.dx.data).toEqual(dz.data);
      expect(loops.dBias.data).toEqual(ops.biasAddBackward(dz).data);
      const out = new Float32Array(sizeOf(shape)).fill(99);
      const into = ops.biasAddReluBackward(dy, y, { out });
      expect(into.dx.data).toBe(out);
      expect(out).toEqual(dz.data);
    });
  },
);

describe('biasAddRelu special values', () => {
  it('keeps NaN, flushes sums that round to zero in float32, and matches the unfused ops', () => {
    const x = tensor([Number.NaN, -0, 1e-46, -1e-46, Number.NEGATIVE_INFINITY, 3, -3, 0.1], [2, 4]);
    const bias = tensor([0, 0, 0, 1]);
    const expected = ops.relu(ops.biasAdd(x, bias));
    const y = ops.biasAddRelu(x, bias);
    expect(y.data).toEqual(expected.data);
    expect(Array.from(y.data).map((v) => Object.is(v, -0))).toEqual(
      Array.from(expected.data).map((v) => Object.is(v, -0)),
    );
    const dy = tensor([1, 2, 3, 4, Number.NaN, 6, 7, 8], [2, 4]);
    const dz = ops.reluBackward(dy, ops.biasAdd(x, bias));
    const fused = ops.biasAddReluBackward(dy, y);
    expect(fused.dx.data).toEqual(dz.data);
    expect(fused.dBias.data).toEqual(ops.biasAddBackward(dz).data);
  });

  it('rejects a bias that does not match the last axis, mismatched dy, and a wrong-sized out', () => {
    expect(() => ops.biasAddRelu(randomTensor([2, 4], 1), randomTensor([3], 2))).toThrow(
      "biasAddRelu: bias must be rank 1 with one value per element of the input's last axis: input [2, 4], bias [3]",
    );
    expect(() => ops.biasAddReluBackward(randomTensor([2, 4], 1), randomTensor([4, 2], 2))).toThrow(
      'biasAddReluBackward: dy must have the shape of y [4, 2], got [2, 4]',
    );
    expect(() =>
      ops.biasAddReluBackward(randomTensor([2, 4], 1), randomTensor([2, 4], 2), {
        out: new Float32Array(7),
      }),
    ).toThrow('biasAddReluBackward: out must hold 8 elements (the size of dy [2, 4]), got 7');
    expect(() =>
      ops.biasAddRelu(new Tensor(new Int32Array(4), [4], 'int32') as never, randomTensor([4], 2)),
    ).toThrow(/biasAddRelu: input must be float32/);
  });
});
