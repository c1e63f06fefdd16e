// matMul and its gradient: hand-computed products, every transpose combination against an
// explicit transpose, and central-difference checks of matMulBackward.

import { type Tensor, tensor } from '@convoy/tensor';
import { describe, expect, it } from 'vitest';
import * as ops from '../src/index.js';
import { expectClose } from './helpers/close.js';
import { dotLoss, expectGradient } from './helpers/gradient.js';
import { randomTensor } from './helpers/random.js';

function transpose(t: Tensor<'float32'>): Tensor<'float32'> {
  const [rows, cols] = t.shape as [number, number];
  const out = new Float32Array(t.size);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) out[c * rows + r] = t.data[r * cols + c]!;
  return tensor(out, [cols, rows]);
}

const implementations = [
  { name: 'active backend', matMul: ops.matMul, matMulBackward: ops.matMulBackward },
  { name: 'reference', matMul: ops.reference.matMul, matMulBackward: ops.reference.matMulBackward },
];

describe.each(implementations)('matMul ($name)', (impl) => {
  it('a=[2,3] b=[3,2] gives the hand-computed product', () => {
    const a = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const b = tensor([
      [7, 8],
      [9, 10],
      [11, 12],
    ]);
    expect(impl.matMul(a, b).toArray()).toEqual([
      [58, 64],
      [139, 154],
    ]);
  });

  const combos = [
    { transposeA: false, transposeB: false },
    { transposeA: true, transposeB: false },
    { transposeA: false, transposeB: true },
    { transposeA: true, transposeB: true },
  ];

  describe.each(combos)('m=4 k=5 n=3 transposeA=$transposeA transposeB=$transposeB', (options) => {
    const plainA = randomTensor([4, 5], 1);
    const plainB = randomTensor([5, 3], 2);
    const a = options.transposeA ? transpose(plainA) : plainA;
    const b = options.transposeB ? transpose(plainB) : plainB;

    it('equals the product of explicitly transposed operands', () => {
      const y = impl.matMul(a, b, options);
      expect(y.shape).toEqual([4, 3]);
      expectClose(y, impl.matMul(plainA, plainB), { rtol: 1e-6, atol: 1e-6 });
    });

    it('matMulBackward matches central differences for both operands', () => {
      const dy = randomTensor([4, 3], 3);
      const { da, db } = impl.matMulBackward(dy, a, b, options);
      expect(da.shape).toEqual(a.shape);
      expect(db.shape).toEqual(b.shape);
      const loss = () => dotLoss(impl.matMul(a, b, options), dy);
      expectGradient({ loss, values: a.data, analytic: da.data });
      expectGradient({ loss, values: b.data, analytic: db.data });
    });
  });

  it('handles empty dimensions: a=[0,3] b=[3,2] -> [0,2]; a=[2,0] b=[0,2] -> zeros [2,2]', () => {
    expect(impl.matMul(tensor(new Float32Array(0), [0, 3]), randomTensor([3, 2], 4)).shape).toEqual(
      [0, 2],
    );
    const zero = impl.matMul(
      tensor(new Float32Array(0), [2, 0]),
      tensor(new Float32Array(0), [0, 2]),
    );
    expect(zero.toArray()).toEqual([
      [0, 0],
      [0, 0],
    ]);
  });
});

describe('matMul bad input', () => {
  it('rejects operands that are not rank 2, naming the op and the shape', () => {
    expect(() => ops.matMul(randomTensor([2, 3, 4], 1), randomTensor([4, 2], 2))).toThrow(
      'matMul: a must be rank 2 [rows, columns], got shape [2, 3, 4]',
    );
    expect(() => ops.matMul(randomTensor([2, 3], 1), randomTensor([3], 2))).toThrow(
      'matMul: b must be rank 2 [rows, columns], got shape [3]',
    );
  });

  it('rejects mismatched inner dimensions, naming both shapes', () => {
    expect(() => ops.matMul(randomTensor([2, 3], 1), randomTensor([4, 2], 2))).toThrow(
      /matMul: inner dimensions must match: a \[2, 3\] has 3 columns, b \[4, 2\] has 4 rows/,
    );
    expect(() =>
      ops.matMul(randomTensor([2, 3], 1), randomTensor([2, 3], 2), { transposeB: false }),
    ).toThrow(/matMul/);
  });

  it('rejects a dy of the wrong shape in matMulBackward', () => {
    expect(() =>
      ops.matMulBackward(randomTensor([2, 3], 1), randomTensor([2, 4], 2), randomTensor([4, 2], 3)),
    ).toThrow('matMulBackward: dy must have the matMul output shape [2, 2], got [2, 3]');
  });

  it('rejects non-float32 operands', () => {
    const ints = tensor([1, 2, 3, 4], [2, 2], 'int32');
    expect(() => ops.matMul(ints as never, randomTensor([2, 2], 1))).toThrow(
      'matMul: a must be float32, got int32 of shape [2, 2]',
    );
  });
});
