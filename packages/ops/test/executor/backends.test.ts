// The workers compute with the calling thread's active backend (named in each task), so a worker
// executor matches the single-thread ops even after setBackend(); a backend the workers cannot rebuild runs
// inline on the calling thread.

import { randomUniform } from '@convoy/tensor';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createWorkerExecutor } from '../../src/executor/index.js';
import {
  activeBackend,
  type Backend,
  conv2d,
  reference,
  referenceBackend,
  setBackend,
} from '../../src/index.js';

describe('worker executor backends', () => {
  const executor = createWorkerExecutor({ workers: 2, inlineFlopThreshold: 0 });
  const defaultBackend = activeBackend();
  afterEach(() => {
    setBackend(undefined);
  });
  afterAll(() => executor.close());

  const x = randomUniform([5, 9, 9, 3], { min: -1, max: 1, seed: 11, shared: true });
  const filter = randomUniform([3, 3, 3, 4], { min: -1, max: 1, seed: 12, shared: true });
  const dy = randomUniform([5, 9, 9, 4], { min: -1, max: 1, seed: 13, shared: true });

  it('computes in the workers with the backend the calling thread has set', async () => {
    setBackend(referenceBackend);
    const before = executor.stats().tasks;
    const out = await executor.run('conv2d', x, filter, { padding: 'same' });
    const dx = await executor.run('conv2dBackpropInput', dy, filter, x.shape, { padding: 'same' });
    expect(executor.stats().tasks - before).toBe(4);
    // Each batch item computed by the reference loops, exactly as on one thread.
    expect(Array.from(out.data)).toEqual(
      Array.from(reference.conv2d(x, filter, { padding: 'same' }).data),
    );
    expect(Array.from(dx.data)).toEqual(
      Array.from(reference.conv2dBackpropInput(dy, filter, x.shape, { padding: 'same' }).data),
    );
  });

  it('matches the default backend bit for bit on batch shards', async () => {
    expect(activeBackend()).toBe(defaultBackend);
    const out = await executor.run('conv2d', x, filter, { padding: 'same' });
    expect(Array.from(out.data)).toEqual(Array.from(conv2d(x, filter, { padding: 'same' }).data));
  });

  it('runs a backend the workers cannot rebuild on the calling thread', async () => {
    let calls = 0;
    const counting: Backend = {
      ...referenceBackend,
      name: 'counting',
      conv2d(...args) {
        calls++;
        referenceBackend.conv2d(...args);
      },
    };
    setBackend(counting);
    const before = executor.stats();
    const out = await executor.run('conv2d', x, filter, { padding: 'same' });
    expect(calls).toBe(1);
    expect(executor.stats().tasks).toBe(before.tasks);
    expect(executor.stats().inlineCalls).toBe(before.inlineCalls + 1);
    expect(Array.from(out.data)).toEqual(
      Array.from(reference.conv2d(x, filter, { padding: 'same' }).data),
    );
  });

  it('a task naming an unknown backend fails with a clear error', async () => {
    const one = randomUniform([1, 1], { seed: 1, shared: true });
    await expect(
      executor.runTask({
        kind: 'kernel',
        kernel: 'matMul',
        backend: 'gpu',
        arrays: { a: one.data, b: one.data, out: one.data },
        geometry: { m: 1, k: 1, n: 1, transposeA: false, transposeB: false },
        range: { start: 0, end: 1 },
      }),
    ).rejects.toThrow(`worker: no backend named "gpu" here`);
  });
});
