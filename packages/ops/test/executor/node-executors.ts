// The executors every executor suite runs over in Node: inline, and the worker executor with two
// workers and with one, told to split every call (inlineFlopThreshold 0) so that even the small
// shapes go through the workers.

import { createWorkerExecutor, type Executor, inlineExecutor } from '../../src/index.js';

export const nodeExecutors: { name: string; make: () => Executor }[] = [
  { name: 'inline', make: () => inlineExecutor() },
  {
    name: 'node workers ×2',
    make: () => createWorkerExecutor({ workers: 2, inlineFlopThreshold: 0 }),
  },
  {
    name: 'node workers ×1',
    make: () => createWorkerExecutor({ workers: 1, inlineFlopThreshold: 0 }),
  },
];
