// An executor call whose shapes ask for an output past the limit says so, with the size asked for
// and the limit, before allocating anything (was: "Array buffer allocation failed").

import { tensor } from '@convoy/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_OUTPUT_ELEMENTS } from '../src/executor/sharded.js';
import { createWorkerExecutor } from '../src/index.js';

const executor = createWorkerExecutor({ workers: 2 });
afterAll(() => executor.close());

describe('worker executor outputs past the limit', () => {
  it('conv2dBackpropInput to a declared input of 100000x100000 is refused with both sizes', async () => {
    const dy = tensor(new Float32Array(4), [1, 2, 2, 1], 'float32');
    const filter = tensor(new Float32Array(9), [3, 3, 1, 1], 'float32');
    await expect(
      executor.run('conv2dBackpropInput', dy, filter, [1, 100_000, 100_000, 1], {
        strides: 50_000,
        padding: 'same',
      }),
    ).rejects.toThrow(
      `the output needs 10000000000 float32 elements (40000000000 bytes), more than the limit of ${MAX_OUTPUT_ELEMENTS}`,
    );
  });

  it('the executor works on after the refusal', async () => {
    const x = tensor([1, 2, 3, 4], [1, 2, 2, 1]);
    const filter = tensor([1], [1, 1, 1, 1]);
    expect(Array.from((await executor.run('conv2d', x, filter)).data)).toEqual([1, 2, 3, 4]);
  });
});
