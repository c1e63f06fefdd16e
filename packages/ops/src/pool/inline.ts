// The executor that runs the synchronous ops on the calling thread: the baseline every pool must
// match, and what a pool falls back to where threads cannot share memory.

import { conv2d, conv2dBackpropFilter, conv2dBackpropInput } from '../conv2d.js';
import { matMul } from '../matmul.js';
import type { Executor } from './executor.js';

export function inlineExecutor(): Executor {
  // async methods: a bad argument rejects the promise, as it does with the pool.
  return {
    workers: 1,
    conv2d: async (x, filter, options) => conv2d(x, filter, options),
    conv2dBackpropInput: async (dy, filter, xShape, options) =>
      conv2dBackpropInput(dy, filter, xShape, options),
    conv2dBackpropFilter: async (x, dy, filterShape, options) =>
      conv2dBackpropFilter(x, dy, filterShape, options),
    matMul: async (a, b, options) => matMul(a, b, options),
    close: async () => {},
  };
}
