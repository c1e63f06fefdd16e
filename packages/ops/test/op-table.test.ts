// The op table and the backend registry: every op's entry is complete and runs, the kernel table
// matches the reference backend, and setBackend redirects conv2d/matMul but never `reference`.

import { tensor } from '@convoy/tensor';
import { afterEach, describe, expect, it } from 'vitest';
import * as ops from '../src/index.js';
import { expectClose } from './helpers/close.js';
import { randomTensor } from './helpers/random.js';

// The package's exports by name, to find each op's public function.
const publicApi: Record<string, unknown> = { ...ops };

describe('opTable', () => {
  it('lists every op once, under its own name, with a forward and at least one backward', () => {
    expect(ops.opNames.sort()).toEqual(
      [
        'avgPool2d',
        'biasAdd',
        'biasAddRelu',
        'conv2d',
        'logSoftmax',
        'matMul',
        'maxPool2d',
        'relu',
        'sigmoid',
        'softmax',
        'sparseSoftmaxCrossEntropy',
        'tanh',
      ].sort(),
    );
    for (const name of ops.opNames) {
      const def = ops.opTable[name];
      expect(def.name).toBe(name);
      expect(def.forward).toBe(publicApi[name]);
      const backwards = Object.values(def.backward);
      expect(backwards.length).toBeGreaterThan(0);
      for (const backward of backwards) expect(typeof backward).toBe('function');
    }
  });

  it("the table's conv2d entry computes the same as the direct calls", () => {
    const x = randomTensor([2, 5, 5, 2], 1);
    const filter = randomTensor([3, 3, 2, 3], 2);
    const options = { padding: 'same' as const, strides: 2 };
    const y = ops.opTable.conv2d.forward(x, filter, options);
    expect(y.toArray()).toEqual(ops.conv2d(x, filter, options).toArray());
    const dy = randomTensor(y.shape, 3);
    expect(ops.opTable.conv2d.backward.filter(x, dy, filter.shape, options).toArray()).toEqual(
      ops.conv2dBackpropFilter(x, dy, filter.shape, options).toArray(),
    );
  });

  it('names only kernels the Backend provides, and the kernel table points at the reference ones', () => {
    expect(ops.kernelNames.sort()).toEqual(
      ['conv2d', 'conv2dBackpropFilter', 'conv2dBackpropInput', 'matMul'].sort(),
    );
    for (const name of ops.kernelNames) {
      expect(ops.kernelTable[name].name).toBe(name);
      expect(ops.kernelTable[name].reference).toBe(ops.referenceBackend[name]);
    }
    const used = new Set(ops.opNames.flatMap((name) => ops.opTable[name].kernels));
    expect([...used].sort()).toEqual([...ops.kernelNames].sort());
    expect(ops.kernelTable.conv2dBackpropFilter.shard).toBe('batch-sum');
    expect(ops.kernelTable.matMul.shard).toBe('rows');
  });
});

describe('backend registry', () => {
  afterEach(() => {
    ops.setBackend(undefined);
  });

  it('conv2d and matMul run on the active backend; reference.* always on the loops', () => {
    const calls: string[] = [];
    const counting: ops.Backend = {
      name: 'counting',
      conv2d: (...args) => {
        calls.push('conv2d');
        ops.referenceBackend.conv2d(...args);
      },
      conv2dBackpropInput: (...args) => {
        calls.push('conv2dBackpropInput');
        ops.referenceBackend.conv2dBackpropInput(...args);
      },
      conv2dBackpropFilter: (...args) => {
        calls.push('conv2dBackpropFilter');
        ops.referenceBackend.conv2dBackpropFilter(...args);
      },
      matMul: (...args) => {
        calls.push('matMul');
        ops.referenceBackend.matMul(...args);
      },
    };
    const previous = ops.setBackend(counting);
    expect(ops.activeBackend()).toBe(counting);
    const x = randomTensor([1, 4, 4, 1], 1);
    const filter = randomTensor([3, 3, 1, 1], 2);
    const y = ops.conv2d(x, filter);
    ops.conv2dBackpropInput(y, filter, x.shape);
    ops.conv2dBackpropFilter(x, y, filter.shape);
    ops.matMul(tensor([[1, 2]]), tensor([[3], [4]]));
    expect(calls).toEqual(['conv2d', 'conv2dBackpropInput', 'conv2dBackpropFilter', 'matMul']);
    expectClose(ops.reference.conv2d(x, filter), y);
    expect(calls).toHaveLength(4);
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
