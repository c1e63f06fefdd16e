// The WebAssembly conv2d kernels of the direct algorithm (forward, input gradient, filter
// gradient) equal the reference loops, in both builds this runtime supports, and write only the
// batch range they were given. Winograd's kernels have their own tests (winograd.test.ts).

import { describe, expect, it } from 'vitest';
import type { ConvGeometry } from '../../src/conv2d-algorithm.js';
import { windowGeometry } from '../../src/geometry.js';
import { referenceBackend } from '../../src/reference/backend.js';
import { createWasmBackend, supportedWasmVariants } from '../../src/wasm/backend.js';
import { conv2dGemmWasm } from '../../src/wasm/conv2d.js';
import { conv2dDirectWasm, usesDirectConvolution } from '../../src/wasm/conv2d-direct.js';
import { instantiateKernels } from '../../src/wasm/instance.js';
import { randomTensor } from '../helpers/random.js';
import { type KernelConvCase, kernelConvCases, largeItemCases } from './cases.js';
import { expectRangeMatches, nanArray } from './compare.js';

function geometryOf(c: KernelConvCase): ConvGeometry {
  const [filterHeight, filterWidth, , outChannels] = c.filterShape;
  const g = windowGeometry({
    op: 'conv2d',
    xShape: c.xShape,
    filterHeight,
    filterWidth,
    outChannels,
    strides: c.strides,
    dilations: c.dilations,
    padding: c.padding,
    windowShape: c.filterShape,
  });
  return { ...g, algorithm: 'direct' };
}

function describeCase(c: KernelConvCase): string {
  return `x=[${c.xShape}] f=[${c.filterShape}] s=${JSON.stringify(c.strides)} p=${JSON.stringify(c.padding)} d=${JSON.stringify(c.dilations)}`;
}

const variants = supportedWasmVariants();

describe('wasm backend availability', () => {
  it('runs both builds in Node 20 (relaxed SIMD after switching on the V8 flag)', () => {
    expect(variants).toEqual(['relaxed-simd', 'simd']);
  });
});

describe.each(variants)('wasm conv2d kernels (%s build)', (variant) => {
  // One backend for every case: later cases reuse (and grow) the memory earlier ones used.
  const backend = createWasmBackend({ variant });

  it(`is named after its build`, () => {
    expect(backend.name).toBe(`wasm-${variant}`);
  });

  describe.each(kernelConvCases.map((c, index) => ({ c, index, label: describeCase(c) })))(
    '$label',
    ({ c, index }) => {
      const g = geometryOf(c);
      const x = randomTensor(c.xShape, 100 + index).data;
      const filter = randomTensor(c.filterShape, 200 + index).data;
      const outItem = g.outHeight * g.outWidth * g.outChannels;
      const inItem = g.inHeight * g.inWidth * g.inChannels;
      const dy = randomTensor([g.batch, g.outHeight, g.outWidth, g.outChannels], 300 + index).data;

      it.each(c.ranges)('forward over items [$start, $end)', (range) => {
        const expected = nanArray(g.batch * outItem);
        const actual = nanArray(g.batch * outItem);
        referenceBackend.conv2d(x, filter, expected, g, range);
        backend.conv2d(x, filter, actual, g, range);
        expectRangeMatches(actual, expected, range.start * outItem, range.end * outItem);
      });

      it.each(c.ranges)('input gradient over items [$start, $end)', (range) => {
        const expected = nanArray(g.batch * inItem);
        const actual = nanArray(g.batch * inItem);
        referenceBackend.conv2dBackpropInput(dy, filter, expected, g, range);
        backend.conv2dBackpropInput(dy, filter, actual, g, range);
        expectRangeMatches(actual, expected, range.start * inItem, range.end * inItem);
      });

      it.each(c.ranges)(
        'filter gradient summed over items [$start, $end), overwriting dw',
        (range) => {
          const expected = nanArray(filter.length);
          const actual = nanArray(filter.length);
          referenceBackend.conv2dBackpropFilter(x, dy, expected, g, range);
          backend.conv2dBackpropFilter(x, dy, actual, g, range);
          expectRangeMatches(actual, expected, 0, filter.length);
        },
      );
    },
  );

  it('gives the same numbers when called again on the same instance', () => {
    const c = kernelConvCases[1]!;
    const g = geometryOf(c);
    const x = randomTensor(c.xShape, 7).data;
    const filter = randomTensor(c.filterShape, 8).data;
    const size = g.batch * g.outHeight * g.outWidth * g.outChannels;
    const first = new Float32Array(size);
    const second = new Float32Array(size);
    backend.conv2d(x, filter, first, g, { start: 0, end: g.batch });
    backend.conv2d(x, filter, second, g, { start: 0, end: g.batch });
    expect(second).toEqual(first);
    expect(first.some((value) => value !== 0)).toBe(true);
  });

  it('reads inputs that live on a SharedArrayBuffer', () => {
    const c = kernelConvCases[0]!;
    const g = geometryOf(c);
    const plain = randomTensor(c.xShape, 9).data;
    const shared = new Float32Array(new SharedArrayBuffer(plain.byteLength));
    shared.set(plain);
    const filter = randomTensor(c.filterShape, 10).data;
    const size = g.batch * g.outHeight * g.outWidth * g.outChannels;
    const fromPlain = new Float32Array(size);
    const fromShared = new Float32Array(new SharedArrayBuffer(size * 4));
    backend.conv2d(plain, filter, fromPlain, g, { start: 0, end: g.batch });
    backend.conv2d(shared, filter, fromShared, g, { start: 0, end: g.batch });
    expect(Array.from(fromShared)).toEqual(Array.from(fromPlain));
  });
});

// conv2d forward has two kernels (direct for few output channels, im2col + GEMM otherwise); the
// backend picks one, so each is also run here on every case the other would get.
describe.each(variants)('wasm conv2d forward, both kernels on every case (%s build)', (variant) => {
  const instance = instantiateKernels(variant);
  const kernels = [
    { name: 'direct', run: conv2dDirectWasm },
    { name: 'GEMM', run: conv2dGemmWasm },
  ];

  it('takes the direct kernel for 1–3 output channels only', () => {
    const chosen = kernelConvCases.map((c) => usesDirectConvolution(geometryOf(c)));
    expect(chosen).toEqual(kernelConvCases.map((c) => c.filterShape[3] <= 3 && c.xShape[3] <= 64));
    expect(chosen).toContain(true);
    expect(chosen).toContain(false);
  });

  it('refuses the direct kernel for more input channels than its zero padding covers', () => {
    const c = kernelConvCases.find((k) => k.xShape[3] > 64)!;
    const g = geometryOf(c);
    const out = new Float32Array(g.batch * g.outHeight * g.outWidth * g.outChannels);
    const x = randomTensor(c.xShape, 1).data;
    const filter = randomTensor(c.filterShape, 2).data;
    expect(() => conv2dDirectWasm(instance, x, filter, out, g, { start: 0, end: 1 })).toThrow(
      /direct kernel takes at most 64 input channels, got 1028/,
    );
  });

  describe.each(kernelConvCases.map((c, index) => ({ c, index, label: describeCase(c) })))(
    '$label',
    ({ c, index }) => {
      const g = geometryOf(c);
      const x = randomTensor(c.xShape, 400 + index).data;
      const filter = randomTensor(c.filterShape, 500 + index).data;
      const outItem = g.outHeight * g.outWidth * g.outChannels;
      // The direct kernel reads padding from a zeros area, which bounds its input channels.
      const applicable = kernels.filter((k) => k.name === 'GEMM' || c.xShape[3] <= 64);
      it.each(applicable.flatMap((k) => c.ranges.map((range) => ({ ...k, range }))))(
        '$name kernel over items [$range.start, $range.end)',
        ({ run, range }) => {
          const expected = nanArray(g.batch * outItem);
          const actual = nanArray(g.batch * outItem);
          referenceBackend.conv2d(x, filter, expected, g, range);
          run(instance, x, filter, actual, g, range);
          expectRangeMatches(actual, expected, range.start * outItem, range.end * outItem);
        },
      );
    },
  );
});

describe.each(variants)('wasm conv2d on items larger than a copy group (%s build)', (variant) => {
  const backend = createWasmBackend({ variant });
  const instance = instantiateKernels(variant);

  describe.each(largeItemCases.map((c, index) => ({ c, index, label: describeCase(c) })))(
    '$label',
    ({ c, index }) => {
      const g = geometryOf(c);
      const x = randomTensor(c.xShape, 600 + index).data;
      const filter = randomTensor(c.filterShape, 700 + index).data;
      const dy = randomTensor([g.batch, g.outHeight, g.outWidth, g.outChannels], 800 + index).data;
      const outItem = g.outHeight * g.outWidth * g.outChannels;
      const inItem = g.inHeight * g.inWidth * g.inChannels;

      it('is sent to the direct kernel', () => {
        expect(usesDirectConvolution(g)).toBe(true);
      });

      it.each(c.ranges)('forward over items [$start, $end), direct and GEMM', (range) => {
        const expected = nanArray(g.batch * outItem);
        referenceBackend.conv2d(x, filter, expected, g, range);
        for (const run of [conv2dDirectWasm, conv2dGemmWasm]) {
          const actual = nanArray(g.batch * outItem);
          run(instance, x, filter, actual, g, range);
          expectRangeMatches(actual, expected, range.start * outItem, range.end * outItem);
        }
      });

      it.each(c.ranges)('input gradient over items [$start, $end)', (range) => {
        const expected = nanArray(g.batch * inItem);
        const actual = nanArray(g.batch * inItem);
        referenceBackend.conv2dBackpropInput(dy, filter, expected, g, range);
        backend.conv2dBackpropInput(dy, filter, actual, g, range);
        expectRangeMatches(actual, expected, range.start * inItem, range.end * inItem);
      });
    },
  );
});
