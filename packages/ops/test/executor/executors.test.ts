// The same suite over every executor: the convolutions and matMul, on every shape in cases.ts,
// must give the numbers of the single-thread op on the active backend (within 1e-5 relative: the
// parallel result may differ only by the order in which shard partials are added) and agree with
// the plain-loop reference — inline, and through the Node worker executor with two workers and
// with one. The worker executors are told to split everything (inlineFlopThreshold 0), so even the
// small shapes go through the workers. every-kernel.test.ts runs every kernel of the table.

import { allocate, randomUniform, type Shape, Tensor } from '@convoy/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Executor } from '../../src/executor/executor.js';
import {
  conv2d,
  conv2dBackpropFilter,
  conv2dBackpropInput,
  conv2dGeometry,
  createWorkerExecutor,
  matMul,
  matMulGeometry,
  outputShape,
  reference,
} from '../../src/index.js';
import { matMulSplit } from '../../src/matmul-split.js';
import { expectClose, expectSummedClose, expectWithinBound } from '../helpers/close.js';
import { ERROR_BOUND, tapMagnitudes, tileMagnitudes } from '../helpers/winograd-bound.js';
import { convCaseName, convCases, matMulCaseName, matMulCases, winogradCases } from './cases.js';
import { nodeExecutors } from './node-executors.js';

/**
 * Worker or inline result against the single-thread op on the active backend, the parallel-equals-
 * serial requirement: within 1e-5 relative, element by element, for kernels whose shards write
 * disjoint parts of the output (each element is computed exactly as one thread computes it).
 */
const SAME_AS_SINGLE_THREAD = { rtol: 1e-5, atol: 1e-6 };

/**
 * The filter gradient is a sum over the whole batch, which the workers add up as per-shard partials:
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
 * by ~1e-5 absolute. This tolerance is the kernels' own accuracy, not the executor's.
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

describe.each(nodeExecutors)('$name', ({ make }) => {
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
          await executor.run('conv2d', x, filter, options),
          conv2d(x, filter, options),
          reference.conv2d(x, filter, options),
        );
      });

      it('input gradient equals the single-thread op and the reference', async () => {
        expectSameNumbers(
          await executor.run('conv2dBackpropInput', dy, filter, xShape, options),
          conv2dBackpropInput(dy, filter, xShape, options),
          reference.conv2dBackpropInput(dy, filter, xShape, options),
        );
      });

      it('filter gradient equals the single-thread op and the reference', async () => {
        expectSameNumbers(
          await executor.run('conv2dBackpropFilter', x, dy, filterShape, options),
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
        const actual = await executor.run('conv2d', x, filter, options);
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
        const actual = await executor.run('conv2dBackpropInput', dy, filter, xShape, options);
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
        const actual = await executor.run('conv2dBackpropFilter', x, dy, filterShape, options);
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
      const out = await executor.run('matMul', a, b, options);
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
      await expect(executor.run('conv2d', flat, filter)).rejects.toThrow(
        'conv2d: input must be rank 4 [batch, height, width, channels], got shape [2, 75]',
      );
      const wrongChannels = input([3, 3, 2, 4], 3);
      await expect(executor.run('conv2d', x, wrongChannels)).rejects.toThrow(
        captureMessage(() => reference.conv2d(x, wrongChannels)),
      );
      const dy = input([2, 3, 3, 5], 4);
      await expect(executor.run('conv2dBackpropInput', dy, filter, [2, 5, 5, 3])).rejects.toThrow(
        captureMessage(() => reference.conv2dBackpropInput(dy, filter, [2, 5, 5, 3])),
      );
      await expect(executor.run('conv2dBackpropFilter', x, dy, [3, 3, 3, 4])).rejects.toThrow(
        captureMessage(() => reference.conv2dBackpropFilter(x, dy, [3, 3, 3, 4])),
      );
      const a = input([4, 3], 5);
      await expect(executor.run('matMul', a, a)).rejects.toThrow(
        captureMessage(() => reference.matMul(a, a)),
      );
      const ints = new Tensor(new Int32Array(12), [4, 3]);
      await expect(
        executor.run('matMul', ints as unknown as Tensor<'float32'>, a, { transposeB: true }),
      ).rejects.toThrow('matMul: a must be float32');
    });

    it("rejects bad input to the other kernels with the synchronous op's error too", async () => {
      const flat = x.reshape([2, 75]);
      await expect(executor.run('maxPool2d', flat)).rejects.toThrow(
        captureMessage(() => reference.maxPool2d(flat)),
      );
      const pooled = reference.avgPool2d(x);
      await expect(executor.run('avgPool2dBackward', pooled, [2, 6, 6, 3])).rejects.toThrow(
        captureMessage(() => reference.avgPool2dBackward(pooled, [2, 6, 6, 3])),
      );
      const y = input([2, 5, 5, 4], 6);
      await expect(executor.run('biasAddReluBackward', x, y)).rejects.toThrow(
        captureMessage(() => reference.biasAddReluBackward(x, y)),
      );
      const [param, grad, m, v] = [4, 4, 3, 4].map((n) => new Float32Array(n));
      const coefficients = { stepSize: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };
      await expect(executor.run('adamUpdate', param!, grad!, m!, v!, coefficients)).rejects.toThrow(
        'adamUpdate: param, grad, m and v must have the same length, got 4, 4, 3, 4',
      );
    });
  });
});

it('a worker executor names the optimizer state that is not on shared memory', async () => {
  const executor = createWorkerExecutor({ workers: 2, inlineFlopThreshold: 0 });
  try {
    const shared = () => allocate('float32', 8, { shared: true });
    const coefficients = { stepSize: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };
    await expect(
      executor.run('adamUpdate', shared(), shared(), new Float32Array(8), shared(), coefficients),
    ).rejects.toThrow('adamUpdate: m must sit on a SharedArrayBuffer');
  } finally {
    await executor.close();
  }
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
