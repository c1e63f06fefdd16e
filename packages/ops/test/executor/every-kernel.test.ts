// Every kernel of the table runs on every executor and gives the synchronous op's numbers: the same
// bits for outputs each shard writes a part of, and within the order-of-additions tolerance for
// outputs summed from per-shard partials (helpers/kernel-cases.ts says which is which). The cases
// are keyed by kernel name and checked against kernelNames, so a kernel added to the table without
// a case fails here (and does not compile).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Executor, kernelNames, type WorkerExecutor } from '../../src/index.js';
import { casesOf, differences, kernelCases } from '../helpers/kernel-cases.js';
import { nodeExecutors } from './node-executors.js';

it('has a case for every kernel of the table, and none for a kernel it does not hold', () => {
  expect(Object.keys(kernelCases).sort()).toEqual([...kernelNames].sort());
  for (const name of kernelNames) expect(casesOf(name).length, name).toBeGreaterThan(0);
});

describe.each(nodeExecutors)('$name', ({ make }) => {
  let executor: Executor;
  beforeAll(() => {
    executor = make();
  });
  afterAll(() => executor.close());

  for (const name of kernelNames) {
    for (const kernelCase of casesOf(name)) {
      it(`${name} ${kernelCase.name} gives the synchronous op's numbers`, async () => {
        const before = shardedCalls(executor);
        expect(await differences(executor, name, kernelCase)).toEqual([]);
        // On the worker executors the call really went to the workers.
        if (before !== undefined) expect(shardedCalls(executor)).toBe(before + 1);
      });
    }
  }
});

function shardedCalls(executor: Executor): number | undefined {
  return 'stats' in executor ? (executor as WorkerExecutor).stats().shardedCalls : undefined;
}
