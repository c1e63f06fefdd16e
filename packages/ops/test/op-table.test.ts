// The op table and the backend registry: every op's entry is complete and runs, the kernel table
// matches the reference backend, and setBackend redirects conv2d/matMul but never `reference`.

import { tensor } from '@convoy/tensor';
import { afterEach, describe, expect, it } from 'vitest';
import * as ops from '../src/index.js';
import { isTaskKernel } from '../src/op-table.js';
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
      [
        'avgPool2d',
        'avgPool2dBackward',
        'biasAddReluBackward',
        'conv2d',
        'conv2dBackpropFilter',
        'conv2dBackpropInput',
        'matMul',
        'maxPool2d',
        'maxPool2dBackward',
      ].sort(),
    );
    for (const name of ops.kernelNames) {
      expect(ops.kernelTable[name].name).toBe(name);
      expect(ops.kernelTable[name].reference).toBe(ops.referenceBackend[name]);
    }
    const used = new Set(ops.opNames.flatMap((name) => ops.opTable[name].kernels));
    expect([...used].sort()).toEqual([...ops.kernelNames].sort());
    expect(ops.kernelTable.conv2dBackpropFilter.shard).toBe('batch-sum');
    expect(ops.kernelTable.matMul.shard).toBe('rows');
    for (const pooling of ['maxPool2d', 'maxPool2dBackward', 'avgPool2d', 'avgPool2dBackward']) {
      expect(ops.kernelTable[pooling as ops.KernelName].shard).toBe('batch');
    }
    expect(ops.kernelTable.biasAddReluBackward.shard).toBe('rows-and-sum');
  });

  it('lets pool tasks name every kernel of the two-inputs-one-output form, and no other', () => {
    // Checked by the compiler: the pooling kernels are task kernels, the two-output one is not.
    const taskKernels: ops.TaskKernelName[] = [
      'conv2d',
      'conv2dBackpropInput',
      'conv2dBackpropFilter',
      'matMul',
      'maxPool2d',
      'maxPool2dBackward',
      'avgPool2d',
      'avgPool2dBackward',
    ];
    // @ts-expect-error: biasAddReluBackward has two outputs, which one task cannot carry.
    const twoOutputs: ops.TaskKernelName = 'biasAddReluBackward';
    expect(taskKernels.every((name) => isTaskKernel(name))).toBe(true);
    expect(isTaskKernel(twoOutputs)).toBe(false);
    expect(isTaskKernel('convolve')).toBe(false);
  });
});

describe('backend registry', () => {
  afterEach(() => {
    ops.setBackend(undefined);
  });

  it('conv2d, matMul, pooling and biasAddReluBackward run on the active backend; reference.* always on the loops', () => {
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
      maxPool2d: (...args) => {
        calls.push('maxPool2d');
        ops.referenceBackend.maxPool2d(...args);
      },
      maxPool2dBackward: (...args) => {
        calls.push('maxPool2dBackward');
        ops.referenceBackend.maxPool2dBackward(...args);
      },
      avgPool2d: (...args) => {
        calls.push('avgPool2d');
        ops.referenceBackend.avgPool2d(...args);
      },
      avgPool2dBackward: (...args) => {
        calls.push('avgPool2dBackward');
        ops.referenceBackend.avgPool2dBackward(...args);
      },
      biasAddReluBackward: (...args) => {
        calls.push('biasAddReluBackward');
        ops.referenceBackend.biasAddReluBackward(...args);
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
    const pooled = ops.maxPool2d(y);
    ops.maxPool2dBackward(pooled, y);
    ops.avgPool2dBackward(ops.avgPool2d(y), y.shape);
    ops.biasAddReluBackward(y, y);
    expect(calls).toEqual([
      'conv2d',
      'conv2dBackpropInput',
      'conv2dBackpropFilter',
      'matMul',
      'maxPool2d',
      'maxPool2dBackward',
      'avgPool2d',
      'avgPool2dBackward',
      'biasAddReluBackward',
    ]);
    expectClose(ops.reference.conv2d(x, filter), y);
    expect(ops.reference.maxPool2d(y).data).toEqual(pooled.data);
    ops.reference.biasAddReluBackward(y, y);
    expect(calls).toHaveLength(9);
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
