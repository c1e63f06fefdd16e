// Faults in the Node pool: a throwing task, a dying worker, calls after close. None may hang, and
// the pool must keep computing correct results after each.

import { randomUniform } from '@convoy/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { conv2d } from '../../src/index.js';
import { createPool } from '../../src/pool/create-pool.js';
import { shardedExecutor } from '../../src/pool/sharded.js';
import type { PoolTask } from '../../src/pool/tasks.js';

describe('node pool faults', () => {
  const pool = createPool({ workers: 2, inlineFlopThreshold: 0 });
  afterAll(() => pool.close());

  const x = randomUniform([4, 6, 6, 3], { min: -1, max: 1, seed: 1, shared: true });
  const filter = randomUniform([3, 3, 3, 5], { min: -1, max: 1, seed: 2, shared: true });
  const expectWorking = async (): Promise<void> => {
    const out = await pool.conv2d(x, filter, { padding: 'same' });
    expect(Array.from(out.data)).toEqual(Array.from(conv2d(x, filter, { padding: 'same' }).data));
  };

  it('rejects a task that throws with the worker error message, then keeps working', async () => {
    await expect(
      pool.runTask({ kind: 'fault', fault: 'throw', message: 'boom in worker' }),
    ).rejects.toThrow('boom in worker');
    await expectWorking();
  });

  it('rejects a task whose worker exits, replaces the worker, and keeps working', async () => {
    await expect(pool.runTask({ kind: 'fault', fault: 'exit', message: 'bye' })).rejects.toThrow(
      /exit/,
    );
    await expectWorking();
    await expectWorking();
  });
});

describe('a failing shard inside an op', () => {
  it('rejects the op with the worker error, only after every other shard has settled', async () => {
    const events: string[] = [];
    const pool = shardedExecutor({
      workers: 2,
      inlineBelowFlops: 0,
      run: async (task: PoolTask) => {
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
    const call = pool.conv2d(x, filter).catch((error: Error) => {
      events.push('call rejected');
      return error;
    });
    const error = await call;
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe('conv2d: a pool worker failed: out of memory in shard 0');
    expect(events).toEqual(['shard 0 failed', 'shard 1 done', 'call rejected']);
  });
});
