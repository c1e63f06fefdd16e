// Both convolution gradients with the gradient prologue — the forward's fused ReLU and bias
// differentiated as dy is read — give exactly what the separate passes give: biasAddReluBackward
// (or biasAddBackward) and then the plain gradient. On every backend, on every WebAssembly path
// (the input gradient as a transposed GEMM, as col2im for strides, on the direct kernel for 1–3
// input channels, whole items and row bands), over batch ranges, through every executor; bad
// options are refused with a clear error.

import { Tensor } from '@convoy/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { biasAddBackward } from '../src/bias.js';
import {
  type Conv2dOptions,
  conv2dBackpropFilter,
  conv2dBackpropFilterGeometry,
  conv2dBackpropInput,
  conv2dGeometry,
} from '../src/conv2d.js';
import { createWorkerExecutor } from '../src/executor/create-executor.js';
import { inlineExecutor } from '../src/executor/inline.js';
import { outputShape } from '../src/geometry.js';
import { kernelOpsOn, reference } from '../src/reference/index.js';
import { everyBackend } from './helpers/backends.js';
import { expectClose, expectSummedClose } from './helpers/close.js';
import { randomTensor } from './helpers/random.js';
import { expectSameFloats } from './wasm/exact.js';

interface Case {
  label: string;
  xShape: [number, number, number, number];
  filterShape: [number, number, number, number];
  options: Conv2dOptions;
}

const cases: Case[] = [
  // 8 output channels: whole vectors in the ReLU pass; the input gradient is a transposed GEMM.
  {
    label: '8 channels',
    xShape: [3, 7, 6, 4],
    filterShape: [3, 3, 4, 8],
    options: { padding: 'same' },
  },
  // 13: a scalar tail in the ReLU pass; stride 2 sends the input gradient through col2im.
  {
    label: '13 channels, stride 2',
    xShape: [2, 9, 8, 5],
    filterShape: [3, 2, 5, 13],
    options: { strides: 2, padding: 'valid' },
  },
  // The textbook model 1's first layer: its input gradient runs on the direct kernel (1 channel).
  {
    label: '1 -> 32 channels',
    xShape: [2, 12, 12, 1],
    filterShape: [3, 3, 1, 32],
    options: { padding: 'same' },
  },
  {
    label: 'dilation 2',
    xShape: [2, 9, 9, 3],
    filterShape: [3, 3, 3, 6],
    options: { dilations: 2, padding: 'same' },
  },
  // One item larger than the copy group: the input gradient's direct kernel goes in row bands.
  {
    label: 'row bands',
    xShape: [1, 430, 420, 1],
    filterShape: [3, 3, 1, 2],
    options: { padding: 'same' },
  },
];

function caseTensors(c: Case, seed: number) {
  const x = randomTensor(c.xShape, seed);
  const filter = randomTensor(c.filterShape, seed + 1);
  const dyShape = outputShape(conv2dGeometry(c.xShape, c.filterShape, c.options));
  const dy = randomTensor(dyShape, seed + 2);
  // A ReLU's output: zero where its input was negative (about half), positive elsewhere.
  const y = randomTensor(dyShape, seed + 3);
  for (let i = 0; i < y.size; i++) y.data[i] = Math.max(y.data[i]!, 0);
  return { x, filter, dy, y };
}

describe.each(everyBackend)(
  'convolution gradients through a fused ReLU on $name',
  ({ backend }) => {
    const on = kernelOpsOn(backend);
    cases.forEach((c, index) => {
      const { x, filter, dy, y } = caseTensors(c, 10 * index);
      const separate = reference.biasAddReluBackward(dy, y);

      it(`${c.label}: the input gradient equals biasAddReluBackward then conv2dBackpropInput`, () => {
        const fused = on.conv2dBackpropInput(dy, filter, x.shape, {
          ...c.options,
          reluOutput: y,
        });
        const expected = on.conv2dBackpropInput(separate.dx, filter, x.shape, c.options);
        expectSameFloats(fused.data, expected.data);
      });

      it(`${c.label}: the filter and bias gradients equal the separate passes`, () => {
        const biasOut = new Float32Array(c.filterShape[3]);
        const fused = on.conv2dBackpropFilter(x, dy, c.filterShape, {
          ...c.options,
          reluOutput: y,
          biasOut,
        });
        const expected = on.conv2dBackpropFilter(x, separate.dx, c.filterShape, c.options);
        expectSameFloats(fused.data, expected.data);
        expectSameFloats(biasOut, separate.dBias.data);
      });
    });

    it('gives the bias gradient of a linear layer (no ReLU): biasAddBackward of dy', () => {
      const c = cases[1]!;
      const { x, dy } = caseTensors(c, 70);
      const biasOut = new Float32Array(c.filterShape[3]);
      const fused = on.conv2dBackpropFilter(x, dy, c.filterShape, {
        ...c.options,
        biasOut,
      });
      expect(fused.data).toEqual(on.conv2dBackpropFilter(x, dy, c.filterShape, c.options).data);
      expectSameFloats(biasOut, biasAddBackward(dy).data);
    });

    it('reads dy only in its batch range, and adds that range to the bias sums', () => {
      const c = cases[0]!;
      const { x, dy, y } = caseTensors(c, 80);
      const g = conv2dBackpropFilterGeometry(x.shape, c.filterShape, dy.shape, c.options);
      const perItem = g.outHeight * g.outWidth * g.outChannels;
      const biasSums = new Float64Array(g.outChannels).fill(0.5);
      const dw = new Float32Array(3 * 3 * 4 * 8);
      backend.conv2dBackpropFilter(
        x.data,
        dy.data,
        dw,
        g,
        { start: 1, end: 2 },
        {
          y: y.data,
          biasSums,
        },
      );
      const item = (t: Tensor<'float32'>) =>
        new Tensor(t.data.slice(perItem, 2 * perItem), [1, ...t.shape.slice(1)], 'float32');
      const middle = reference.biasAddReluBackward(item(dy), item(y));
      for (let c2 = 0; c2 < g.outChannels; c2++) {
        expect(biasSums[c2]).toBeCloseTo(0.5 + middle.dBias.data[c2]!, 6);
      }
    });
  },
);

it('lets NaN through where the ReLU was on and reads 0 where it was off (a NaN y is off)', () => {
  // A 1×1 filter of 1: the input gradient is the gradient the kernel read.
  const dyValues = [Number.NaN, 7, 2, Number.NaN, -3, 4, Number.POSITIVE_INFINITY];
  const yValues = [1, 1, 0, 0, Number.NaN, -1, 5];
  const dy = new Tensor(Float32Array.from(dyValues), [1, 1, dyValues.length, 1], 'float32');
  const y = new Tensor(Float32Array.from(yValues), [1, 1, yValues.length, 1], 'float32');
  const filter = new Tensor(Float32Array.of(1), [1, 1, 1, 1], 'float32');
  for (const { backend } of everyBackend) {
    const on = kernelOpsOn(backend);
    const dx = on.conv2dBackpropInput(dy, filter, dy.shape, { reluOutput: y });
    expect(Array.from(dx.data)).toEqual([Number.NaN, 7, 0, 0, 0, 0, Number.POSITIVE_INFINITY]);
    const biasOut = new Float32Array(1);
    const x = new Tensor(new Float32Array(dyValues.length).fill(1), dy.shape, 'float32');
    on.conv2dBackpropFilter(x, dy, [1, 1, 1, 1], { reluOutput: y, biasOut });
    expect(biasOut[0]).toBeNaN();
  }
});

describe('convolution gradients through a fused ReLU, on the executors', () => {
  const workerExecutors = [
    createWorkerExecutor({ workers: 2, inlineFlopThreshold: 0 }),
    createWorkerExecutor({ workers: 1, inlineFlopThreshold: 0 }),
  ];
  afterAll(() => Promise.all(workerExecutors.map((executor) => executor.close())));
  const executors = [
    { name: 'inline', executor: inlineExecutor() },
    { name: 'workers ×2', executor: workerExecutors[0]! },
    { name: 'workers ×1', executor: workerExecutors[1]! },
  ];
  const c: Case = {
    label: 'model 1 layer 2, small',
    xShape: [5, 9, 9, 6],
    filterShape: [3, 3, 6, 16],
    options: { padding: 'same' },
  };
  const { x, filter, dy, y } = caseTensors(c, 90);

  for (const { name, executor } of executors) {
    it(`${name}: equals the synchronous ops (the bias sums within float64 rounding)`, async () => {
      const dx = await executor.run('conv2dBackpropInput', dy, filter, x.shape, {
        ...c.options,
        reluOutput: y,
      });
      expect(dx.data).toEqual(
        conv2dBackpropInput(dy, filter, x.shape, { ...c.options, reluOutput: y }).data,
      );

      const biasOut = new Float32Array(16);
      const dw = await executor.run('conv2dBackpropFilter', x, dy, filter.shape, {
        ...c.options,
        reluOutput: y,
        biasOut,
      });
      const syncBias = new Float32Array(16);
      const syncDw = conv2dBackpropFilter(x, dy, filter.shape, {
        ...c.options,
        reluOutput: y,
        biasOut: syncBias,
      });
      // Shards add their partial filter gradients in another order than one thread (see
      // helpers/close.ts); the bias partials are float64, so rounding to float32 hides it.
      expectSummedClose(dw, syncDw);
      expectClose(new Tensor(biasOut, [16]), new Tensor(syncBias, [16]), { rtol: 1e-7, atol: 0 });
    });
  }

  it('refuses a reluOutput or biasOut that does not fit, in the worker executor as in the op', async () => {
    const wrongY = { ...c.options, reluOutput: randomTensor([5, 9, 9, 15], 95) };
    const message =
      'conv2dBackpropInput: reluOutput must have the shape of dy [5, 9, 9, 16], got [5, 9, 9, 15]';
    expect(() => conv2dBackpropInput(dy, filter, x.shape, wrongY)).toThrow(message);
    await expect(
      workerExecutors[0]!.run('conv2dBackpropInput', dy, filter, x.shape, wrongY),
    ).rejects.toThrow(message);
    const ints = {
      ...c.options,
      reluOutput: new Tensor(new Int32Array(dy.size), dy.shape),
    } as never;
    expect(() => conv2dBackpropFilter(x, dy, filter.shape, ints)).toThrow(
      'conv2dBackpropFilter: reluOutput must be float32, got int32',
    );
    const short = { ...c.options, biasOut: new Float32Array(15) };
    const shortMessage =
      'conv2dBackpropFilter: biasOut must hold one value per output channel (16), got 15';
    expect(() => conv2dBackpropFilter(x, dy, filter.shape, short)).toThrow(shortMessage);
    await expect(
      workerExecutors[0]!.run('conv2dBackpropFilter', x, dy, filter.shape, short),
    ).rejects.toThrow(shortMessage);
    const doubles = { ...c.options, biasOut: new Float64Array(16) } as never;
    expect(() => conv2dBackpropFilter(x, dy, filter.shape, doubles)).toThrow(
      'conv2dBackpropFilter: biasOut must be a Float32Array, got Float64Array',
    );
  });
});
