// The same suite over every executor: each op, on every shape in cases.ts, must give the numbers
// of the single-thread op on the active backend (within 1e-5 relative: the parallel result may
// differ only by the order in which shard partials are added) and agree with the plain-loop
// reference — inline, and through the Node pool with two workers and with one. The pools are told
// to shard everything (inlineFlopThreshold 0), so even the small shapes go through the workers.

import { randomUniform, type Shape, Tensor } from '@convoy/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  conv2d,
  conv2dBackpropFilter,
  conv2dBackpropInput,
  conv2dGeometry,
  matMul,
  matMulGeometry,
  outputShape,
  reference,
} from '../../src/index.js';
import type { Executor } from '../../src/pool/executor.js';
import { createPool, inlineExecutor } from '../../src/pool/index.js';
import { matMulSplit } from '../../src/pool/plan.js';
import { expectClose, expectSummedClose, expectWithinBound } from '../helpers/close.js';
import { ERROR_BOUND, tapMagnitudes, tileMagnitudes } from '../helpers/winograd-bound.js';
import { convCaseName, convCases, matMulCaseName, matMulCases, winogradCases } from './cases.js';

const executors: { name: string; make: () => Executor }[] = [
  { name: 'inline', make: () => inlineExecutor() },
  { name: 'node pool, 2 workers', make: () => createPool({ workers: 2, inlineFlopThreshold: 0 }) },
  { name: 'node pool, 1 worker', make: () => createPool({ workers: 1, inlineFlopThreshold: 0 }) },
];

/**
 * Pool or inline result against the single-thread op on the active backend, the parallel-equals-
 * serial requirement: within 1e-5 relative, element by element, for kernels whose shards write
 * disjoint parts of the output (each element is computed exactly as one thread computes it).
 */
const SAME_AS_SINGLE_THREAD = { rtol: 1e-5, atol: 1e-6 };

/**
 * The filter gradient is a sum over the whole batch, which the pool adds up as per-shard partials:
 * a different float32 summation order. An element that is a cancelling sum of thousands of
 * products (|terms| ~1, result ~0.1) can then move by ~1e-5 absolute, so its error is bounded
 * relative to the largest magnitude in the gradient (1e-5 of it) rather than to itself.
 */
function expectSumClose(actual: Tensor<'float32'>, expected: Tensor<'float32'>): void {
  let scale = 0;
  for (const value of expected.data) scale = Math.max(scale, Math.abs(value));
  expectClose(actual, expected, { rtol: 1e-5, atol: 1e-5 * scale });
}

/**
 * Against the float64-accumulating reference loops: a float32 kernel (the WebAssembly one) rounds
 * each of up to a few thousand products and partial sums, so values that cancel to ~0.1 can be off
 * by ~1e-5 absolute. This tolerance is the kernels' own accuracy, not the pool's.
 */
const AGREES_WITH_REFERENCE = { rtol: 1e-4, atol: 1e-4 };

/** Checks a result against both the single-thread op and the reference. */
function expectSameNumbers(
  actual: Tensor<'float32'>,
  singleThread: Tensor<'float32'>,
  oracle: Tensor<'float32'>,
  summedOverBatch = false,
): void {
  if (summedOverBatch) expectSumClose(actual, singleThread);
  else expectClose(actual, singleThread, SAME_AS_SINGLE_THREAD);
  expectClose(actual, oracle, AGREES_WITH_REFERENCE);
}

/** Alternate shared and ordinary storage, so both the no-copy and the copy path are exercised. */
function input(shape: Shape, seed: number): Tensor<'float32'> {
  return randomUniform(shape, { min: -1, max: 1, seed, shared: seed % 2 === 0 });
}

describe.each(executors)('$name', ({ make }) => {
  let executor: Executor;
  beforeAll(() => {
    executor = make();
  });
  afterAll(() => executor.close());

  // Plain loops rather than describe.each: vitest shortens long $name values, and the name is
  // what says which shape broke.
  convCases.forEach((convCase, index) => {
    const { xShape, filterShape, options } = convCase;
    const seed = 10 * index;
    describe(`conv2d ${convCaseName(convCase)}`, () => {
      const x = input(xShape, seed);
      const filter = input(filterShape, seed + 1);
      const dyShape = outputShape(conv2dGeometry(xShape, filterShape, options));
      const dy = input(dyShape, seed + 3);

      it('forward equals the single-thread op and the reference', async () => {
        expectSameNumbers(
          await executor.conv2d(x, filter, options),
          conv2d(x, filter, options),
          reference.conv2d(x, filter, options),
        );
      });

      it('input gradient equals the single-thread op and the reference', async () => {
        expectSameNumbers(
          await executor.conv2dBackpropInput(dy, filter, xShape, options),
          conv2dBackpropInput(dy, filter, xShape, options),
          reference.conv2dBackpropInput(dy, filter, xShape, options),
        );
      });

      it('filter gradient equals the single-thread op and the reference', async () => {
        expectSameNumbers(
          await executor.conv2dBackpropFilter(x, dy, filterShape, options),
          conv2dBackpropFilter(x, dy, filterShape, options),
          reference.conv2dBackpropFilter(x, dy, filterShape, options),
          true,
        );
      });
    });
  });

  // Against the reference, Winograd is held to its bound: |error| ≤ bound · Σ|term|, with Σ|term|
  // the same op on the inputs' absolute values, the largest in the output's tile (or of its taps).
  winogradCases.forEach((convCase, index) => {
    const { xShape, filterShape, options } = convCase;
    const seed = 300 + 10 * index;
    describe(`conv2d by Winograd ${convCaseName(convCase)}`, () => {
      const x = input(xShape, seed);
      const filter = input(filterShape, seed + 1);
      const dy = input(outputShape(conv2dGeometry(xShape, filterShape, options)), seed + 3);
      const bound = ERROR_BOUND.winograd4;

      it('forward equals the single-thread op, and the reference within the bound', async () => {
        const actual = await executor.conv2d(x, filter, options);
        expectClose(actual, conv2d(x, filter, options), SAME_AS_SINGLE_THREAD);
        const exact = reference.conv2d(x, filter, options).data;
        const magnitudes = reference.conv2d(abs(x), abs(filter), options);
        expectWithinBound(
          actual.data,
          exact,
          tileMagnitudes(magnitudes.data, magnitudes.shape),
          bound,
        );
      });

      it('input gradient equals the single-thread op, and the reference within the bound', async () => {
        const actual = await executor.conv2dBackpropInput(dy, filter, xShape, options);
        expectClose(
          actual,
          conv2dBackpropInput(dy, filter, xShape, options),
          SAME_AS_SINGLE_THREAD,
        );
        const exact = reference.conv2dBackpropInput(dy, filter, xShape, options).data;
        const magnitudes = reference.conv2dBackpropInput(abs(dy), abs(filter), xShape, options);
        expectWithinBound(actual.data, exact, tileMagnitudes(magnitudes.data, xShape), bound);
      });

      it('filter gradient equals the single-thread op, and the reference within the bound', async () => {
        const actual = await executor.conv2dBackpropFilter(x, dy, filterShape, options);
        expectSummedClose(actual, conv2dBackpropFilter(x, dy, filterShape, options));
        const exact = reference.conv2dBackpropFilter(x, dy, filterShape, options).data;
        const magnitudes = reference.conv2dBackpropFilter(abs(x), abs(dy), filterShape, options);
        expectWithinBound(actual.data, exact, tapMagnitudes(magnitudes.data, filterShape), bound);
      });
    });
  });

  matMulCases.forEach((matMulCase, index) => {
    const { aShape, bShape, options } = matMulCase;
    const seed = 500 + 10 * index;
    it(`matMul ${matMulCaseName(matMulCase)} equals the single-thread op and the reference`, async () => {
      const a = input(aShape, seed);
      const b = input(bShape, seed + 1);
      const out = await executor.matMul(a, b, options);
      const { m, n } = matMulGeometry(aShape, bShape, options);
      expect([...out.shape]).toEqual([m, n]);
      // A depth split adds per-shard partial products: a different summation order.
      const summed = matMulSplit(matMulGeometry(aShape, bShape, options), 2) === 'depth';
      expectSameNumbers(out, matMul(a, b, options), reference.matMul(a, b, options), summed);
    });
  });

  describe('bad input', () => {
    const x = input([2, 5, 5, 3], 1);
    const filter = input([3, 3, 3, 4], 2);

    it('rejects with the same error as the synchronous op', async () => {
      const flat = x.reshape([2, 75]);
      expect(() => reference.conv2d(flat, filter)).toThrow(/rank 4/);
      await expect(executor.conv2d(flat, filter)).rejects.toThrow(
        'conv2d: input must be rank 4 [batch, height, width, channels], got shape [2, 75]',
      );
      const wrongChannels = input([3, 3, 2, 4], 3);
      await expect(executor.conv2d(x, wrongChannels)).rejects.toThrow(
        captureMessage(() => reference.conv2d(x, wrongChannels)),
      );
      const dy = input([2, 3, 3, 5], 4);
      await expect(executor.conv2dBackpropInput(dy, filter, [2, 5, 5, 3])).rejects.toThrow(
        captureMessage(() => reference.conv2dBackpropInput(dy, filter, [2, 5, 5, 3])),
      );
      await expect(executor.conv2dBackpropFilter(x, dy, [3, 3, 3, 4])).rejects.toThrow(
        captureMessage(() => reference.conv2dBackpropFilter(x, dy, [3, 3, 3, 4])),
      );
      const a = input([4, 3], 5);
      await expect(executor.matMul(a, a)).rejects.toThrow(
        captureMessage(() => reference.matMul(a, a)),
      );
      const ints = new Tensor(new Int32Array(12), [4, 3]);
      await expect(
        executor.matMul(ints as unknown as Tensor<'float32'>, a, { transposeB: true }),
      ).rejects.toThrow('matMul: a must be float32');
    });
  });
});

function abs(t: Tensor<'float32'>): Tensor<'float32'> {
  return new Tensor(t.data.map(Math.abs), t.shape, 'float32');
}

function captureMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the synchronous op to throw');
}
