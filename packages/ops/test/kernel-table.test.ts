// The kernel table and the backend registry: every kernel is filed under its own name, kernelNames
// lists exactly the table, kernelNamed finds a kernel or says clearly that there is none; the
// `reference` namespace's kernel ops are the raw plain-loop kernels run over a whole call; and
// setBackend redirects the top-level ops but never `reference`.

import { sizeOf } from '@convoy/tensor';
import { afterEach, describe, expect, it } from 'vitest';
import * as ops from '../src/index.js';
import { kernelNamed } from '../src/kernel-table.js';
import { casesOf, synchronousOps } from './helpers/kernel-cases.js';
import { randomTensor } from './helpers/random.js';

// The package's exports by name.
const publicApi: Record<string, unknown> = { ...ops };

describe('kernelTable', () => {
  it('files every kernel under its own name', () => {
    for (const [key, kernel] of Object.entries(ops.kernelTable)) expect(kernel.name).toBe(key);
  });

  it('kernelNames lists exactly the 13 kernels of the table', () => {
    expect([...ops.kernelNames].sort()).toEqual(
      [
        'adamUpdate',
        'avgPool2d',
        'avgPool2dBackward',
        'biasAddReluBackward',
        'conv2d',
        'conv2dBackpropFilter',
        'conv2dBackpropFilterPerExample',
        'conv2dBackpropInput',
        'globalAvgPool2d',
        'globalAvgPool2dBackward',
        'matMul',
        'maxPool2d',
        'maxPool2dBackward',
      ].sort(),
    );
    expect(ops.kernelNames).toEqual(Object.keys(ops.kernelTable));
  });

  it('kernelNamed finds each kernel, and throws a TypeError naming one the table does not hold', () => {
    for (const name of ops.kernelNames) expect(kernelNamed(name)).toBe(ops.kernelTable[name]);
    expect(() => kernelNamed('convolve')).toThrow(TypeError);
    expect(() => kernelNamed('convolve')).toThrow('no kernel named "convolve"');
    // Only the table's own entries, not what every object inherits.
    expect(() => kernelNamed('toString')).toThrow('no kernel named "toString"');
    expect(() => kernelNamed('__proto__')).toThrow(TypeError);
  });

  it("exports each kernel's synchronous op under the kernel's name", () => {
    for (const name of ops.kernelNames) expect(publicApi[name], name).toBe(synchronousOps[name]);
  });
});

describe('the reference namespace', () => {
  const whole = (end: number) => ({ start: 0, end });
  const x = randomTensor([3, 7, 6, 2], 1);
  const filter = randomTensor([3, 3, 2, 4], 2);
  const convOptions = { strides: 2, padding: 'same' } as const;
  const g = ops.conv2dGeometry(x.shape, filter.shape, convOptions);
  const dy = randomTensor(ops.outputShape(g), 3);
  const filterSize = filter.size;
  // 3x3 windows: the general loops, not the 2x2 ones the reference backend also has.
  const poolOptions = { poolSize: 3, strides: 2, padding: 'same' } as const;
  const pg = ops.poolingGeometry(x.shape, poolOptions);
  const pooledDy = randomTensor(ops.outputShape(pg), 4);
  const raw = ops.reference;

  /** Each kernel op of `reference` against its raw kernel; a Record, so none can be left out. */
  const equalsRawKernel: Record<ops.KernelName, () => void> = {
    conv2d() {
      const out = new Float32Array(sizeOf(ops.outputShape(g)));
      raw.conv2dReference(x.data, filter.data, out, g, whole(3));
      expect(raw.conv2d(x, filter, convOptions).data).toEqual(out);
    },
    conv2dBackpropInput() {
      const dx = new Float32Array(x.size);
      raw.conv2dBackpropInputReference(dy.data, filter.data, dx, g, whole(3));
      expect(raw.conv2dBackpropInput(dy, filter, x.shape, convOptions).data).toEqual(dx);
    },
    conv2dBackpropFilter() {
      const dw = new Float32Array(filterSize);
      raw.conv2dBackpropFilterReference(x.data, dy.data, dw, g, whole(3));
      expect(raw.conv2dBackpropFilter(x, dy, filter.shape, convOptions).data).toEqual(dw);
    },
    conv2dBackpropFilterPerExample() {
      const perExample = raw.conv2dBackpropFilterPerExample(x, dy, filter.shape, convOptions);
      expect(perExample.shape).toEqual([3, ...filter.shape]);
      for (let e = 0; e < 3; e++) {
        const dw = new Float32Array(filterSize);
        raw.conv2dBackpropFilterReference(x.data, dy.data, dw, g, { start: e, end: e + 1 });
        expect(perExample.data.subarray(e * filterSize, (e + 1) * filterSize)).toEqual(dw);
      }
    },
    matMul() {
      const a = randomTensor([9, 5], 5);
      const b = randomTensor([7, 9], 6);
      const options = { transposeA: true, transposeB: true };
      const out = new Float32Array(5 * 7);
      raw.matMulReference(
        a.data,
        b.data,
        out,
        ops.matMulGeometry(a.shape, b.shape, options),
        whole(5),
      );
      expect(raw.matMul(a, b, options).data).toEqual(out);
    },
    maxPool2d() {
      const out = new Float32Array(pooledDy.size);
      raw.maxPool2dReference(x.data, out, pg, whole(3));
      expect(raw.maxPool2d(x, poolOptions).data).toEqual(out);
    },
    maxPool2dBackward() {
      const dx = new Float32Array(x.size);
      raw.maxPool2dBackwardReference(pooledDy.data, x.data, dx, pg, whole(3));
      expect(raw.maxPool2dBackward(pooledDy, x, poolOptions).data).toEqual(dx);
    },
    avgPool2d() {
      const out = new Float32Array(pooledDy.size);
      raw.avgPool2dReference(x.data, out, pg, whole(3));
      expect(raw.avgPool2d(x, poolOptions).data).toEqual(out);
    },
    avgPool2dBackward() {
      const dx = new Float32Array(x.size);
      raw.avgPool2dBackwardReference(pooledDy.data, dx, pg, whole(3));
      expect(raw.avgPool2dBackward(pooledDy, x.shape, poolOptions).data).toEqual(dx);
    },
    globalAvgPool2d() {
      const gg = { batch: 3, pixels: 7 * 6, channels: 2 };
      const out = new Float32Array(3 * 2);
      raw.globalAvgPool2dReference(x.data, out, gg, whole(3));
      expect(raw.globalAvgPool2d(x).data).toEqual(out);
    },
    globalAvgPool2dBackward() {
      const gg = { batch: 3, pixels: 7 * 6, channels: 2 };
      const pooled = randomTensor([3, 2], 13);
      const dx = new Float32Array(x.size);
      raw.globalAvgPool2dBackwardReference(pooled.data, dx, gg, whole(3));
      expect(raw.globalAvgPool2dBackward(pooled, x.shape).data).toEqual(dx);
    },
    biasAddReluBackward() {
      const y = ops.relu(randomTensor([7, 5], 7));
      const gradient = randomTensor([7, 5], 8);
      const dx = new Float32Array(35);
      const sums = new Float64Array(5);
      raw.biasAddReluBackwardReference(gradient.data, y.data, dx, sums, { channels: 5 }, whole(7));
      const { dx: opDx, dBias } = raw.biasAddReluBackward(gradient, y);
      expect(opDx.data).toEqual(dx);
      expect(dBias.data).toEqual(Float32Array.from(sums));
    },
    adamUpdate() {
      const state = (seed: number) => randomTensor([11], seed, { min: 0, max: 1 }).data;
      const grad = state(9);
      const [param, m, v] = [state(10), state(11), state(12)];
      const [rawParam, rawM, rawV] = [param.slice(), m.slice(), v.slice()];
      const coefficients = { stepSize: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };
      raw.adamUpdate(param, grad, m, v, coefficients);
      raw.adamUpdateReference(rawParam, grad, rawM, rawV, coefficients, whole(11));
      expect([param, m, v]).toEqual([rawParam, rawM, rawV]);
    },
  };

  it.each(ops.kernelNames)('%s equals the raw reference kernel over the whole call', (name) => {
    equalsRawKernel[name]();
  });

  it('holds the ops with no backend kernel as the top-level functions themselves', () => {
    for (const name of ['relu', 'sigmoidBackward', 'biasAdd', 'softmax', 'biasAddRelu'] as const) {
      expect(ops.reference[name]).toBe(publicApi[name]);
    }
    expect(ops.reference.referenceBackend).toBe(ops.referenceBackend);
  });
});

describe('backend registry', () => {
  afterEach(() => {
    ops.setBackend(undefined);
  });

  /** The backend method each kernel computes with. */
  const backendMethod: Record<ops.KernelName, Exclude<keyof ops.Backend, 'name'>> = {
    conv2d: 'conv2d',
    conv2dBackpropInput: 'conv2dBackpropInput',
    conv2dBackpropFilter: 'conv2dBackpropFilter',
    // One filter-gradient call per example.
    conv2dBackpropFilterPerExample: 'conv2dBackpropFilter',
    matMul: 'matMul',
    maxPool2d: 'maxPool2d',
    maxPool2dBackward: 'maxPool2dBackward',
    avgPool2d: 'avgPool2d',
    avgPool2dBackward: 'avgPool2dBackward',
    globalAvgPool2d: 'globalAvgPool2d',
    globalAvgPool2dBackward: 'globalAvgPool2dBackward',
    biasAddReluBackward: 'biasAddReluBackward',
    adamUpdate: 'adamUpdate',
  };

  /** The reference backend, recording the name of every method called. */
  function countingBackend(calls: string[]): ops.Backend {
    const counting: Record<string, unknown> = { name: 'counting' };
    for (const [method, kernel] of Object.entries(ops.referenceBackend)) {
      if (typeof kernel !== 'function') continue;
      counting[method] = (...args: unknown[]) => {
        calls.push(method);
        return kernel.apply(ops.referenceBackend, args);
      };
    }
    return counting as unknown as ops.Backend;
  }

  it('every top-level kernel op runs on the active backend; reference.* always on the loops', () => {
    const calls: string[] = [];
    const counting = countingBackend(calls);
    const previous = ops.setBackend(counting);
    expect(ops.activeBackend()).toBe(counting);
    for (const name of ops.kernelNames) {
      const args = casesOf(name)[0]!.args();
      calls.length = 0;
      call(synchronousOps, name, args);
      expect(new Set(calls), name).toEqual(new Set([backendMethod[name]]));
      calls.length = 0;
      call(ops.reference, name, casesOf(name)[0]!.args());
      expect(calls, `reference.${name}`).toEqual([]);
    }
    const a = randomTensor([3, 4], 1);
    const b = randomTensor([4, 2], 2);
    const product = ops.matMul(a, b);
    calls.length = 0;
    ops.matMulBackward(product, a, b);
    expect(calls).toEqual(['matMul', 'matMul']);
    ops.reference.matMulBackward(product, a, b);
    expect(calls).toHaveLength(2);
    expect(ops.setBackend(previous)).toBe(counting);
  });

  it('goes back to the default backend after setBackend(undefined)', () => {
    const defaultBackend = ops.activeBackend();
    ops.setBackend({ ...ops.referenceBackend, name: 'other' });
    expect(ops.activeBackend().name).toBe('other');
    ops.setBackend(undefined);
    expect(ops.activeBackend()).toBe(defaultBackend);
  });
});

/** Kernel `name` of a set of ops, on its own arguments. */
function call<K extends ops.KernelName>(
  kernelOps: ops.KernelOps,
  name: K,
  args: ops.KernelArgs<K>,
): ops.KernelResult<K> {
  return kernelOps[name](...args);
}
