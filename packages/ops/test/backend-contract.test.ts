// The Backend contract the worker executors rely on, checked for the reference backend and for the
// active one: a kernel called on a batch (or row) range writes exactly that range of the output,
// the filter and bias gradients overwrite their output with the sum over their range only, and
// shards put together equal one whole call.

import { Tensor } from '@convoy/tensor';
import { describe, expect, it } from 'vitest';
import * as ops from '../src/index.js';
import { expectClose } from './helpers/close.js';
import { randomTensor } from './helpers/random.js';

const backends = [
  { name: 'reference', backend: ops.referenceBackend },
  { name: 'active backend', backend: ops.activeBackend() },
];

const x = randomTensor([3, 6, 5, 2], 1);
const filter = randomTensor([3, 3, 2, 4], 2);
const options = { strides: 2, padding: 'same' as const };
const g = ops.conv2dGeometry(x.shape, filter.shape, options);
const outSize = g.outHeight * g.outWidth * g.outChannels;
const inSize = g.inHeight * g.inWidth * g.inChannels;
const dy = randomTensor(ops.outputShape(g), 3);

/** Indices of elements that are still NaN (never written). */
function unwritten(data: Float32Array): number[] {
  const out: number[] = [];
  data.forEach((v, i) => {
    if (Number.isNaN(v)) out.push(i);
  });
  return out;
}

function range(start: number, end: number): number[] {
  return Array.from({ length: end - start }, (_, i) => start + i);
}

describe.each(backends)('Backend contract ($name)', ({ backend }) => {
  it('conv2d on batch [1, 3) writes only items 1 and 2; with [0, 1) it equals one whole call', () => {
    const out = new Float32Array(3 * outSize).fill(Number.NaN);
    backend.conv2d(x.data, filter.data, out, g, { start: 1, end: 3 });
    expect(unwritten(out)).toEqual(range(0, outSize));
    backend.conv2d(x.data, filter.data, out, g, { start: 0, end: 1 });
    expectClose(out, ops.reference.conv2d(x, filter, options).data, { rtol: 1e-5, atol: 1e-5 });
  });

  it('conv2dBackpropInput on batch [0, 2) writes only items 0 and 1 (zeros included)', () => {
    const dx = new Float32Array(3 * inSize).fill(Number.NaN);
    backend.conv2dBackpropInput(dy.data, filter.data, dx, g, { start: 0, end: 2 });
    expect(unwritten(dx)).toEqual(range(2 * inSize, 3 * inSize));
    backend.conv2dBackpropInput(dy.data, filter.data, dx, g, { start: 2, end: 3 });
    const whole = ops.reference.conv2dBackpropInput(dy, filter, x.shape, options);
    expectClose(dx, whole.data, { rtol: 1e-5, atol: 1e-5 });
  });

  it('conv2dBackpropFilter overwrites its output with its range only; shard sums equal the whole', () => {
    const filterSize = filter.size;
    const first = new Float32Array(filterSize).fill(Number.NaN);
    const rest = new Float32Array(filterSize).fill(123);
    backend.conv2dBackpropFilter(x.data, dy.data, first, g, { start: 0, end: 1 });
    backend.conv2dBackpropFilter(x.data, dy.data, rest, g, { start: 1, end: 3 });
    expect(unwritten(first)).toEqual([]);
    const summed = first.map((v, i) => v + rest[i]!);
    const whole = ops.reference.conv2dBackpropFilter(x, dy, filter.shape, options);
    expectClose(summed, whole.data, { rtol: 1e-4, atol: 1e-4 });
  });

  it('matMul on rows [2, 5) writes only those rows', () => {
    const a = randomTensor([6, 7], 4);
    const b = randomTensor([7, 3], 5);
    const mm = ops.matMulGeometry(a.shape, b.shape);
    const out = new Float32Array(6 * 3).fill(Number.NaN);
    backend.matMul(a.data, b.data, out, mm, { start: 2, end: 5 });
    expect(unwritten(out)).toEqual([...range(0, 6), ...range(15, 18)]);
    backend.matMul(a.data, b.data, out, mm, { start: 0, end: 2 });
    backend.matMul(a.data, b.data, out, mm, { start: 5, end: 6 });
    expectClose(out, ops.reference.matMul(a, b).data, { rtol: 1e-5, atol: 1e-5 });
  });

  it.each([
    { label: '2x2 / stride 2', options: { poolSize: 2 } },
    {
      label: '3x3 / stride 2 / same',
      options: { poolSize: 3, strides: 2, padding: 'same' as const },
    },
  ])(
    'pooling kernels ($label) on batch [1, 3) write only items 1 and 2, every element of them',
    ({ options: poolOptions }) => {
      const input = randomTensor([3, 7, 6, 5], 6);
      const pg = ops.poolingGeometry(input.shape, poolOptions);
      const pooledItem = pg.outHeight * pg.outWidth * pg.outChannels;
      const item = pg.inHeight * pg.inWidth * pg.inChannels;
      const gradient = randomTensor(ops.outputShape(pg), 7);
      const items = { start: 1, end: 3 };
      const forwards = [
        ['maxPool2d', ops.reference.maxPool2d(input, poolOptions)],
        ['avgPool2d', ops.reference.avgPool2d(input, poolOptions)],
      ] as const;
      for (const [kernel, whole] of forwards) {
        const out = new Float32Array(3 * pooledItem).fill(Number.NaN);
        backend[kernel](input.data, out, pg, items);
        expect(unwritten(out)).toEqual(range(0, pooledItem));
        expect(out.subarray(pooledItem)).toEqual(whole.data.subarray(pooledItem));
      }
      const maxDx = new Float32Array(3 * item).fill(Number.NaN);
      backend.maxPool2dBackward(gradient.data, input.data, maxDx, pg, items);
      expect(unwritten(maxDx)).toEqual(range(0, item));
      const maxWhole = ops.reference.maxPool2dBackward(gradient, input, poolOptions);
      expect(maxDx.subarray(item)).toEqual(maxWhole.data.subarray(item));
      const avgDx = new Float32Array(3 * item).fill(Number.NaN);
      backend.avgPool2dBackward(gradient.data, avgDx, pg, items);
      expect(unwritten(avgDx)).toEqual(range(0, item));
      const avgWhole = ops.reference.avgPool2dBackward(gradient, input.shape, poolOptions);
      expect(avgDx.subarray(item)).toEqual(avgWhole.data.subarray(item));
    },
  );

  it('biasAddReluBackward on rows [2, 5) writes only those rows of dx and overwrites the bias sums with their sum', () => {
    const channels = 5;
    const dyRows = randomTensor([6, channels], 8);
    const y = randomTensor([6, channels], 9);
    const dx = new Float32Array(6 * channels).fill(Number.NaN);
    const biasSums = new Float64Array(channels).fill(Number.NaN);
    backend.biasAddReluBackward(
      dyRows.data,
      y.data,
      dx,
      biasSums,
      { channels },
      { start: 2, end: 5 },
    );
    expect(unwritten(dx)).toEqual([
      ...range(0, 2 * channels),
      ...range(5 * channels, 6 * channels),
    ]);
    const middle = ops.reference.biasAddReluBackward(
      new Tensor(dyRows.data.slice(2 * channels, 5 * channels), [3, channels], 'float32'),
      new Tensor(y.data.slice(2 * channels, 5 * channels), [3, channels], 'float32'),
    );
    expect(dx.subarray(2 * channels, 5 * channels)).toEqual(middle.dx.data);
    expect(Float32Array.from(biasSums)).toEqual(middle.dBias.data);
  });

  it('adamUpdate on elements [3, 8) updates only those elements of param, m and v', () => {
    const length = 11;
    const grad = randomTensor([length], 10).data;
    const state = () => randomTensor([length], 11).data.map(Math.abs);
    const [param, m, v] = [state(), state(), state()];
    const [param0, m0, v0] = [param.slice(), m.slice(), v.slice()];
    const coefficients = { stepSize: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };
    backend.adamUpdate(param, grad, m, v, coefficients, { start: 3, end: 8 });
    const [wholeParam, wholeM, wholeV] = [param0.slice(), m0.slice(), v0.slice()];
    ops.reference.adamUpdate(wholeParam, grad, wholeM, wholeV, coefficients);
    for (const [after, before, whole] of [
      [param, param0, wholeParam],
      [m, m0, wholeM],
      [v, v0, wholeV],
    ] as const) {
      expect([...after.subarray(0, 3), ...after.subarray(8)]).toEqual([
        ...before.subarray(0, 3),
        ...before.subarray(8),
      ]);
      expect(after.subarray(3, 8)).toEqual(whole.subarray(3, 8));
    }
  });
});
