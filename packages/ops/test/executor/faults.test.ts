// Faults in the Node worker executor: a throwing task, a dying worker, a task naming no kernel, calls
// after close. None may hang, and the executor must keep computing correct results after each.

import { randomUniform } from '@convoy/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { createWorkerExecutor } from '../../src/executor/create-executor.js';
import { shardedExecutor } from '../../src/executor/sharded.js';
import type { WorkerTask } from '../../src/executor/tasks.js';
import { conv2d } from '../../src/index.js';

describe('node worker executor faults', () => {
  const executor = createWorkerExecutor({ workers: 2, inlineFlopThreshold: 0 });
  afterAll(() => executor.close());

  const x = randomUniform([4, 6, 6, 3], { min: -1, max: 1, seed: 1, shared: true });
  const filter = randomUniform([3, 3, 3, 5], { min: -1, max: 1, seed: 2, shared: true });
  const expectWorking = async (): Promise<void> => {
    const out = await executor.run('conv2d', x, filter, { padding: 'same' });
    expect(Array.from(out.data)).toEqual(Array.from(conv2d(x, filter, { padding: 'same' }).data));
  };

  it('rejects a task that throws with the worker error message, then keeps working', async () => {
    await expect(
      executor.runTask({ kind: 'fault', fault: 'throw', message: 'boom in worker' }),
    ).rejects.toThrow('boom in worker');
    await expectWorking();
  });

  it('rejects a task whose worker exits, replaces the worker, and keeps working', async () => {
    await expect(
      executor.runTask({ kind: 'fault', fault: 'exit', message: 'bye' }),
    ).rejects.toThrow(/exit/);
    await expectWorking();
    await expectWorking();
  });

  it('rejects a task naming a kernel the table does not hold, then keeps working', async () => {
    const one = randomUniform([1], { seed: 5, shared: true });
    await expect(
      executor.runTask({
        kind: 'kernel',
        kernel: 'convolve',
        backend: 'reference',
        arrays: { x: one.data },
        geometry: {},
        range: { start: 0, end: 1 },
      }),
    ).rejects.toThrow('no kernel named "convolve"');
    await expectWorking();
  });

  it('rejects calls and raw tasks after close(), saying the executor is closed', async () => {
    const closing = createWorkerExecutor({ workers: 1, inlineFlopThreshold: 0 });
    await closing.close();
    await expect(closing.run('conv2d', x, filter)).rejects.toThrow(
      'conv2d: the executor is closed',
    );
    await expect(async () =>
      closing.runTask({ kind: 'fault', fault: 'throw', message: 'late' }),
    ).rejects.toThrow('runTask: the executor is closed');
    await closing.close();
  });
});

describe('a failing shard inside an op', () => {
  it('rejects the op with the worker error, only after every other shard has settled', async () => {
    const events: string[] = [];
    const executor = shardedExecutor({
      workers: 2,
      inlineBelowFlops: 0,
      run: async (task: WorkerTask) => {
        if (task.kind !== 'kernel') throw new Error('unexpected task');
        if (task.range.start === 0) {
          events.push('shard 0 failed');
          throw new Error('out of memory in shard 0');
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
        events.push('shard 1 done');
      },
      close: async () => {},
    });
    const x = randomUniform([4, 5, 5, 2], { seed: 3, shared: true });
    const filter = randomUniform([3, 3, 2, 2], { seed: 4, shared: true });
    const call = executor.run('conv2d', x, filter).catch((error: Error) => {
      events.push('call rejected');
      return error;
    });
    const error = await call;
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe('conv2d: a worker failed: out of memory in shard 0');
    expect(events).toEqual(['shard 0 failed', 'shard 1 done', 'call rejected']);
  });
});
