// The `out` option: conv2d, both of its gradients, matMul and the pooling ops write into storage
// the caller keeps (the same numbers as a fresh result, in place), on the calling thread and
// through the worker executor; a wrong size, a non-Float32Array, an out overlapping an input, or
// unshared storage for the workers are refused with a clear error.

import { allocate, type Tensor } from '@convoy/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { createWorkerExecutor, inlineExecutor } from '../src/executor/index.js';
import {
  avgPool2d,
  avgPool2dBackward,
  conv2d,
  conv2dBackpropFilter,
  conv2dBackpropInput,
  matMul,
  maxPool2d,
  maxPool2dBackward,
} from '../src/index.js';
import { expectSummedClose } from './helpers/close.js';
import { randomTensor } from './helpers/random.js';

const x = randomTensor([3, 6, 6, 4], 1);
const filter = randomTensor([3, 3, 4, 5], 2);
const dy = randomTensor([3, 6, 6, 5], 3);
const same = { padding: 'same' as const };

function sharedCopyOfSize(size: number): Float32Array {
  // Filled with garbage: out is overwritten, never accumulated into.
  return allocate('float32', size, { shared: true }).fill(123);
}

describe('out on the synchronous ops', () => {
  it('conv2d and both gradients write into out and return it as the result', () => {
    const cases: [() => Tensor<'float32'>, (out: Float32Array) => Tensor<'float32'>][] = [
      [() => conv2d(x, filter, same), (out) => conv2d(x, filter, { ...same, out })],
      [
        () => conv2dBackpropInput(dy, filter, x.shape, same),
        (out) => conv2dBackpropInput(dy, filter, x.shape, { ...same, out }),
      ],
      [
        () => conv2dBackpropFilter(x, dy, filter.shape, same),
        (out) => conv2dBackpropFilter(x, dy, filter.shape, { ...same, out }),
      ],
    ];
    for (const [fresh, into] of cases) {
      const expected = fresh();
      const out = new Float32Array(expected.size).fill(-5);
      const result = into(out);
      expect(result.data).toBe(out);
      expect(result.shape).toEqual(expected.shape);
      expect(out).toEqual(expected.data);
    }
  });

  it('the pooling ops and their gradients overwrite out entirely', () => {
    const image = randomTensor([2, 6, 7, 5], 9);
    const windows = [{ poolSize: 2 }, { poolSize: 3, strides: 1, padding: 'same' as const }];
    for (const options of windows) {
      const pooled = maxPool2d(image, options);
      const dy = randomTensor([...pooled.shape], 10);
      const pairs: [Tensor<'float32'>, (out: Float32Array) => Tensor<'float32'>][] = [
        [pooled, (out) => maxPool2d(image, { ...options, out })],
        [avgPool2d(image, options), (out) => avgPool2d(image, { ...options, out })],
        [
          maxPool2dBackward(dy, image, options),
          (out) => maxPool2dBackward(dy, image, { ...options, out }),
        ],
        [
          avgPool2dBackward(dy, image.shape, options),
          (out) => avgPool2dBackward(dy, image.shape, { ...options, out }),
        ],
      ];
      for (const [expected, into] of pairs) {
        const out = new Float32Array(expected.size).fill(Number.NaN);
        expect(into(out).data).toBe(out);
        expect(out).toEqual(expected.data);
      }
    }
  });

  it('matMul writes into out', () => {
    const a = randomTensor([7, 9], 4);
    const b = randomTensor([5, 9], 5);
    const out = new Float32Array(35).fill(9);
    const result = matMul(a, b, { transposeB: true, out });
    expect(result.data).toBe(out);
    expect(out).toEqual(matMul(a, b, { transposeB: true }).data);
  });

  it('refuses an out of the wrong size, type, or overlapping an input', () => {
    expect(() => conv2d(x, filter, { ...same, out: new Float32Array(10) })).toThrow(
      `conv2d: out must hold the result's 540 elements, got 10`,
    );
    const ints = new Int32Array(540) as unknown as Float32Array;
    expect(() => conv2d(x, filter, { ...same, out: ints })).toThrow(
      'conv2d: out must be a Float32Array, got Int32Array',
    );
    const a = randomTensor([4, 4], 6);
    expect(() => matMul(a, a, { out: a.data })).toThrow(
      'matMul: out must not share storage with an input of the op',
    );
  });
});

describe('out through the executors', () => {
  const workers = createWorkerExecutor({ workers: 2, inlineFlopThreshold: 0 });
  afterAll(() => workers.close());

  for (const { name, executor } of [
    { name: 'inline', executor: inlineExecutor() },
    { name: 'workers ×2', executor: workers },
  ]) {
    it(`${name}: every op writes its shards straight into a shared out`, async () => {
      const forward = sharedCopyOfSize(3 * 6 * 6 * 5);
      const result = await executor.run('conv2d', x, filter, { ...same, out: forward });
      expect(result.data).toBe(forward);
      expect(forward).toEqual(conv2d(x, filter, same).data);

      const dx = sharedCopyOfSize(x.size);
      await executor.run('conv2dBackpropInput', dy, filter, x.shape, { ...same, out: dx });
      expect(dx).toEqual(conv2dBackpropInput(dy, filter, x.shape, same).data);

      const dw = sharedCopyOfSize(filter.size);
      await executor.run('conv2dBackpropFilter', x, dy, filter.shape, { ...same, out: dw });
      expectSummedClose(dw, conv2dBackpropFilter(x, dy, filter.shape, same).data);

      const a = randomTensor([6, 40], 7);
      const b = randomTensor([40, 9], 8);
      const product = sharedCopyOfSize(54);
      await executor.run('matMul', a, b, { out: product });
      const exact = matMul(a, b).data;
      for (let i = 0; i < 54; i++) expect(product[i]).toBeCloseTo(exact[i]!, 5);

      const options = { poolSize: 3, strides: 2, padding: 'same' as const };
      const pooled = maxPool2d(x, options);
      const pooledOut = sharedCopyOfSize(pooled.size);
      expect((await executor.run('maxPool2d', x, { ...options, out: pooledOut })).data).toBe(
        pooledOut,
      );
      expect(pooledOut).toEqual(pooled.data);
      const averaged = sharedCopyOfSize(pooled.size);
      await executor.run('avgPool2d', x, { ...options, out: averaged });
      expect(averaged).toEqual(avgPool2d(x, options).data);
      const pooledDy = randomTensor([...pooled.shape], 11);
      const maxDx = sharedCopyOfSize(x.size);
      await executor.run('maxPool2dBackward', pooledDy, x, { ...options, out: maxDx });
      expect(maxDx).toEqual(maxPool2dBackward(pooledDy, x, options).data);
      const avgDx = sharedCopyOfSize(x.size);
      await executor.run('avgPool2dBackward', pooledDy, x.shape, { ...options, out: avgDx });
      expect(avgDx).toEqual(avgPool2dBackward(pooledDy, x.shape, options).data);
    });
  }

  it('workers: refuse an out they cannot see', async () => {
    await expect(
      workers.run('conv2d', x, filter, { ...same, out: new Float32Array(540) }),
    ).rejects.toThrow('conv2d: out must sit on a SharedArrayBuffer');
    const pooled = maxPool2d(x);
    await expect(
      workers.run('maxPool2d', x, { out: new Float32Array(pooled.size) }),
    ).rejects.toThrow('maxPool2d: out must sit on a SharedArrayBuffer');
  });
});
