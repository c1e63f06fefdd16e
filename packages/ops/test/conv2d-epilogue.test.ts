// conv2d's fused epilogue (bias, ReLU) gives exactly what the separate ops give —
// relu(biasAdd(conv2d(x, filter), bias)) — on every backend, on both WebAssembly kernels (the GEMM
// and the direct one for 1–3 output channels, whole items and row bands), over batch ranges, and
// through every executor; bad options are refused with a clear error.

import { Tensor } from '@convoy/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { relu } from '../src/activations.js';
import type { ConvEpilogue } from '../src/backend.js';
import { biasAdd } from '../src/bias.js';
import { type Conv2dForwardOptions, conv2d, conv2dGeometry } from '../src/conv2d.js';
import { createWorkerExecutor } from '../src/executor/create-executor.js';
import { inlineExecutor } from '../src/executor/inline.js';
import { outputShape } from '../src/geometry.js';
import { kernelOpsOn } from '../src/reference/index.js';
import { everyBackend } from './helpers/backends.js';
import { randomTensor } from './helpers/random.js';
import { expectSameFloats } from './wasm/exact.js';

interface Case {
  label: string;
  xShape: [number, number, number, number];
  filterShape: [number, number, number, number];
  options: Conv2dForwardOptions;
}

const cases: Case[] = [
  // GEMM path: 8 channels (whole panels), 13 (a partial panel and a scalar tail in the epilogue).
  {
    label: 'gemm, 8 channels',
    xShape: [3, 7, 6, 4],
    filterShape: [3, 3, 4, 8],
    options: { padding: 'same' },
  },
  {
    label: 'gemm, 13 channels, stride 2',
    xShape: [2, 9, 8, 5],
    filterShape: [3, 2, 5, 13],
    options: { strides: 2, padding: 'valid' },
  },
  // The textbook model 1's first layer shape, smaller batch.
  {
    label: 'gemm, 1 -> 32 channels',
    xShape: [2, 12, 12, 1],
    filterShape: [3, 3, 1, 32],
    options: { padding: 'same' },
  },
  // Direct path: 1–3 output channels, whole items.
  {
    label: 'direct, 1 channel',
    xShape: [2, 10, 11, 1],
    filterShape: [3, 3, 1, 1],
    options: { padding: 'same' },
  },
  {
    label: 'direct, 3 channels',
    xShape: [3, 8, 9, 2],
    filterShape: [3, 3, 2, 3],
    options: { padding: 'valid' },
  },
  // Direct path in row bands: one item larger than the 2 MiB copy group.
  {
    label: 'direct, row bands',
    xShape: [1, 430, 420, 1],
    filterShape: [3, 3, 1, 2],
    options: { padding: 'same' },
  },
];

type Fused = Pick<Conv2dForwardOptions, 'bias' | 'activation'>;

function separately(conv: Tensor<'float32'>, fused: Fused): Tensor<'float32'> {
  const biased = fused.bias ? biasAdd(conv, fused.bias) : conv;
  return fused.activation === 'relu' ? relu(biased) : biased;
}

function fusions(channels: number, seed: number): { name: string; fused: Fused }[] {
  // Biases around the outputs' scale so ReLU zeroes a good share of values but not all.
  const bias = randomTensor([channels], seed, { min: -0.5, max: 0.5 });
  return [
    { name: 'bias', fused: { bias } },
    { name: 'relu', fused: { activation: 'relu' } },
    { name: 'bias + relu', fused: { bias, activation: 'relu' } },
  ];
}

describe.each(everyBackend)('conv2d epilogue on $name', ({ backend }) => {
  cases.forEach((c, index) => {
    const x = randomTensor(c.xShape, 10 + index);
    const filter = randomTensor(c.filterShape, 20 + index);
    const plain = kernelOpsOn(backend).conv2d(x, filter, c.options);
    for (const { name, fused } of fusions(c.filterShape[3], 30 + index)) {
      it(`${c.label}: ${name} equals the separate ops bit for bit`, () => {
        const out = kernelOpsOn(backend).conv2d(x, filter, { ...c.options, ...fused });
        const expected = separately(plain, fused);
        expect(out.shape).toEqual(expected.shape);
        expectSameFloats(out.data, expected.data);
        if (fused.activation === 'relu') {
          expect(out.data.some((value) => value === 0)).toBe(true);
          expect(out.data.some((value) => value > 0)).toBe(true);
        }
      });
    }
  });

  it('finishes only the batch range it was given', () => {
    const c = cases[0]!;
    const x = randomTensor(c.xShape, 40);
    const filter = randomTensor(c.filterShape, 41);
    const g = conv2dGeometry(x.shape, filter.shape, c.options);
    const perItem = g.outHeight * g.outWidth * g.outChannels;
    const out = new Float32Array(g.batch * perItem).fill(-7);
    const epilogue: ConvEpilogue = { bias: randomTensor([g.outChannels], 42).data, relu: true };
    backend.conv2d(x.data, filter.data, out, g, { start: 1, end: 2 }, epilogue);
    const full = kernelOpsOn(backend).conv2d(x, filter, {
      ...c.options,
      bias: new Tensor(epilogue.bias!, [g.outChannels]),
      activation: 'relu',
    });
    expect(out.subarray(0, perItem).every((value) => value === -7)).toBe(true);
    expect(out.subarray(perItem, 2 * perItem)).toEqual(full.data.subarray(perItem, 2 * perItem));
    expect(out.subarray(2 * perItem).every((value) => value === -7)).toBe(true);
  });
});

it('keeps NaN through the ReLU and maps -0 to +0, as relu does', () => {
  // A 1×1 filter of 1 copies the input: the epilogue then sees exactly these values.
  const values = [Number.NaN, -0, 0, -3, 2.5, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY];
  const x = new Tensor(Float32Array.from(values), [1, 1, values.length, 1], 'float32');
  const filter = new Tensor(Float32Array.of(1), [1, 1, 1, 1], 'float32');
  for (const { backend } of everyBackend) {
    const out = kernelOpsOn(backend).conv2d(x, filter, { activation: 'relu' });
    expect(Array.from(out.data)).toEqual(Array.from(relu(x).data));
    expect(Object.is(out.data[1], 0)).toBe(true);
  }
});

describe('conv2d epilogue through the executors', () => {
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

  for (const { name, executor } of executors) {
    it(`${name}: equals the synchronous fused conv2d`, async () => {
      const x = randomTensor([5, 9, 9, 3], 50);
      const filter = randomTensor([3, 3, 3, 16], 51);
      const options: Conv2dForwardOptions = {
        padding: 'same',
        bias: randomTensor([16], 52, { min: -0.5, max: 0.5 }),
        activation: 'relu',
      };
      const out = await executor.run('conv2d', x, filter, options);
      expect(out.shape).toEqual(outputShape(conv2dGeometry(x.shape, filter.shape, options)));
      expect(out.data).toEqual(conv2d(x, filter, options).data);
    });
  }

  it('refuses a bias of the wrong shape or an unknown activation, in the worker executor as in the op', async () => {
    const x = randomTensor([2, 5, 5, 3], 60);
    const filter = randomTensor([3, 3, 3, 4], 61);
    const wrongBias = { bias: randomTensor([5], 62) };
    expect(() => conv2d(x, filter, wrongBias)).toThrow(
      'conv2d: bias must have shape [4] (one value per output channel), got [5]',
    );
    await expect(workerExecutors[0]!.run('conv2d', x, filter, wrongBias)).rejects.toThrow(
      'got [5]',
    );
    const tanh = { activation: 'tanh' } as unknown as Conv2dForwardOptions;
    expect(() => conv2d(x, filter, tanh)).toThrow(
      `conv2d: activation must be 'linear' or 'relu', got "tanh"`,
    );
    const ints = { bias: new Tensor(new Int32Array(4), [4]) } as unknown as Conv2dForwardOptions;
    expect(() => conv2d(x, filter, ints)).toThrow('conv2d: bias must be float32, got int32');
  });
});
