// conv2d's `algorithm` option: checked like every option (an unknown name, or 'winograd' where it
// does not compute the convolution, is refused naming the op and the shapes, by the ops and the
// executors alike); carried to the kernels, including the workers'; and the WebAssembly
// backend's 'auto' rule, which looks at the per-example geometry only.

import { randomUniform } from '@convoy/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type Conv2dOptions,
  conv2d,
  conv2dBackpropFilter,
  conv2dBackpropInput,
  conv2dGeometry,
} from '../src/conv2d.js';
import { type ConvAlgorithm, winogradApplies } from '../src/conv2d-algorithm.js';
import { createWorkerExecutor } from '../src/executor/create-executor.js';
import { inlineExecutor } from '../src/executor/inline.js';
import { type ConvKernelName, winogradTile } from '../src/wasm/winograd-rule.js';

const kernels: ConvKernelName[] = ['conv2d', 'conv2dBackpropInput', 'conv2dBackpropFilter'];

function shared(shape: number[], seed: number) {
  return randomUniform(shape, { min: -1, max: 1, seed, shared: true });
}

describe('the algorithm option', () => {
  const x = shared([2, 9, 9, 4], 1);

  it('refuses an unknown algorithm', () => {
    const filter = shared([3, 3, 4, 8], 2);
    const options = { algorithm: 'fft' } as unknown as Conv2dOptions;
    expect(() => conv2d(x, filter, options)).toThrow(
      `conv2d: algorithm must be 'auto', 'direct' or 'winograd', got "fft"`,
    );
  });

  it.each([
    { filterShape: [5, 5, 4, 8], options: {}, shown: 'filter [5, 5, 4, 8], strides [1, 1]' },
    { filterShape: [3, 3, 4, 8], options: { strides: 2 }, shown: 'strides [2, 2]' },
    { filterShape: [3, 3, 4, 8], options: { dilations: 2 }, shown: 'dilations [2, 2]' },
  ])(
    'refuses winograd for filter [$filterShape] $options, naming them',
    async ({ filterShape, options, shown }) => {
      const filter = shared(filterShape, 3);
      const winograd: Conv2dOptions = { ...options, algorithm: 'winograd' };
      const dy = shared([...conv2dGeometryShape(x.shape, filterShape, options)], 4);
      expect(() => conv2d(x, filter, winograd)).toThrow(
        /^conv2d: algorithm 'winograd' needs a 3×3 filter with strides 1 and dilations 1, got /,
      );
      expect(() => conv2d(x, filter, winograd)).toThrow(shown);
      expect(() => conv2dBackpropInput(dy, filter, x.shape, winograd)).toThrow(
        /^conv2dBackpropInput: algorithm 'winograd' needs/,
      );
      expect(() => conv2dBackpropFilter(x, dy, filter.shape, winograd)).toThrow(
        /^conv2dBackpropFilter: algorithm 'winograd' needs/,
      );
      const executor = createWorkerExecutor({ workers: 1 });
      await expect(executor.run('conv2d', x, filter, winograd)).rejects.toThrow(shown);
      await executor.close();
    },
  );

  it('is recorded in the geometry the kernels get, auto by default', () => {
    const filterShape = [3, 3, 4, 8];
    expect(conv2dGeometry(x.shape, filterShape).algorithm).toBe('auto');
    expect(conv2dGeometry(x.shape, filterShape, { algorithm: 'direct' }).algorithm).toBe('direct');
    expect(winogradApplies(conv2dGeometry(x.shape, filterShape))).toBe(true);
    expect(winogradApplies(conv2dGeometry(x.shape, filterShape, { strides: [1, 2] }))).toBe(false);
  });
});

function conv2dGeometryShape(
  xShape: readonly number[],
  filterShape: number[],
  options: Conv2dOptions,
): number[] {
  const g = conv2dGeometry(xShape, filterShape, options);
  return [g.batch, g.outHeight, g.outWidth, g.outChannels];
}

describe("the WebAssembly backend's rule", () => {
  const layer = (
    inChannels: number,
    outChannels: number,
    batch: number,
    algorithm?: ConvAlgorithm,
    size = 28,
  ) =>
    conv2dGeometry([batch, size, size, inChannels], [3, 3, inChannels, outChannels], {
      padding: 'same',
      algorithm,
    });

  it("takes F(4×4) for every kernel of model 1's second layer", () => {
    for (const kernel of kernels) expect(winogradTile(layer(32, 64, 32), kernel)).toBe(4);
  });

  it('keeps the direct kernels for 1-channel inputs (the first layers of models 1–3)', () => {
    for (const outChannels of [32, 2]) {
      for (const kernel of kernels) {
        expect(winogradTile(layer(1, outChannels, 32), kernel)).toBeUndefined();
      }
    }
  });

  it('decides by the per-example geometry: the same for every batch size', () => {
    for (const [inChannels, outChannels] of [
      [1, 32],
      [2, 8],
      [3, 3],
      [4, 2],
      [32, 64],
    ]) {
      for (const kernel of kernels) {
        const choices = [1, 2, 15, 32].map((batch) =>
          winogradTile(layer(inChannels!, outChannels!, batch), kernel),
        );
        expect(new Set(choices).size).toBe(1);
      }
    }
  });

  it('takes F(2×2) for images from 8×8 to 11×11 and the direct kernels below', () => {
    for (const kernel of kernels) {
      expect(winogradTile(layer(64, 64, 32, undefined, 12), kernel)).toBe(4);
      expect(winogradTile(layer(64, 64, 32, undefined, 11), kernel)).toBe(2);
      expect(winogradTile(layer(64, 64, 32, undefined, 8), kernel)).toBe(2);
      expect(winogradTile(layer(64, 64, 32, undefined, 7), kernel)).toBeUndefined();
    }
  });

  it("follows 'direct' and 'winograd' when asked, the tile by the image's size", () => {
    for (const kernel of kernels) {
      expect(winogradTile(layer(32, 64, 4, 'direct'), kernel)).toBeUndefined();
      expect(winogradTile(layer(1, 2, 4, 'winograd'), kernel)).toBe(4);
      expect(winogradTile(layer(1, 2, 4, 'winograd', 5), kernel)).toBe(2);
    }
  });
});

describe('the algorithm reaches the kernels on every executor', () => {
  const workers = createWorkerExecutor({ workers: 2, inlineFlopThreshold: 0 });
  afterAll(() => workers.close());
  const executors = [
    { name: 'inline', executor: inlineExecutor() },
    { name: 'workers ×2', executor: workers },
  ];
  const x = shared([4, 12, 12, 16], 5);
  const filter = shared([3, 3, 16, 24], 6);
  const dy = shared([4, 12, 12, 24], 7);
  const options = (algorithm: ConvAlgorithm) => ({ padding: 'same', algorithm }) as const;

  it.each(executors)(
    '$name: winograd gives the synchronous winograd bits, not the direct ones',
    async ({ executor }) => {
      const byWinograd = await executor.run('conv2d', x, filter, options('winograd'));
      expect(byWinograd.data).toEqual(conv2d(x, filter, options('winograd')).data);
      const direct = conv2d(x, filter, options('direct')).data;
      expect(byWinograd.data.some((value, i) => value !== direct[i])).toBe(true);
      const dx = await executor.run(
        'conv2dBackpropInput',
        dy,
        filter,
        x.shape,
        options('winograd'),
      );
      expect(dx.data).toEqual(conv2dBackpropInput(dy, filter, x.shape, options('winograd')).data);
      const dxDirect = conv2dBackpropInput(dy, filter, x.shape, options('direct')).data;
      expect(dx.data.some((value, i) => value !== dxDirect[i])).toBe(true);
    },
  );
});
