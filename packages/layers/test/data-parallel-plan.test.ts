// The gradient plan: every trainable element is owned by exactly one replica, in contiguous
// ranges cut only at whole Dense-kernel rows, with the per-example weights (which cost a sum over
// the batch each) weighing more when the work is divided.

import { describe, expect, it } from 'vitest';
import { planGradients, rowsOf } from '../src/data-parallel/plan.js';
import { textbookModel } from '../src/index.js';

describe('planGradients', () => {
  const model = textbookModel(1, { seed: 0 });

  it('gives conv weights per-example gradients and dense weights by-parameter ones', () => {
    const plan = planGradients(model, 2, 32);
    expect(plan.weights.map((w) => `${w.mode} ${w.size}`)).toEqual([
      'per-example 288',
      'per-example 32',
      'per-example 18432',
      'per-example 64',
      'by-parameter 1605632',
      'by-parameter 128',
      'by-parameter 1280',
      'by-parameter 10',
    ]);
    expect(plan.exampleSize).toBe(288 + 32 + 18432 + 64);
    expect(plan.buffers.map((b) => `${b.layer}/${b.key} ${b.rowSize}`)).toEqual([
      '4/input 12544',
      '4/preActivationGradient 128',
      '5/input 128',
      '5/preActivationGradient 10',
    ]);
  });

  it.each([1, 2, 3, 4, 7])(
    'owns each element once, in contiguous ranges, for %i replicas',
    (replicas) => {
      const plan = planGradients(model, replicas, 32);
      const flat = plan.owned.map((parts) =>
        parts.map((p) => [
          plan.weights[p.index]!.offset + p.start,
          plan.weights[p.index]!.offset + p.end,
        ]),
      );
      let next = 0;
      for (const ranges of flat) {
        for (const [from, to] of ranges) {
          expect(from).toBe(next);
          next = to!;
        }
      }
      expect(next).toBe(plan.total);
      // Cuts inside the dense kernel fall between its rows of 128.
      for (const parts of plan.owned) {
        for (const part of parts) {
          const weight = plan.weights[part.index]!;
          if (weight.unit > 1) {
            expect(part.start % weight.unit).toBe(0);
            expect(part.end % weight.unit === 0 || part.end === weight.size).toBe(true);
          }
        }
      }
    },
  );

  it('divides by cost: the replica that sums per-example gradients owns fewer dense rows', () => {
    const plan = planGradients(model, 2, 32);
    const denseKernel = (r: number) =>
      plan.owned[r]!.filter((p) => p.index === 4).reduce((sum, p) => sum + p.end - p.start, 0);
    expect(plan.owned[0]!.map((p) => p.index).slice(0, 4)).toEqual([0, 1, 2, 3]);
    expect(denseKernel(0)).toBeLessThan(denseKernel(1));
    // Without per-example work to weigh (batches of one row cost 1.5 each) it is nearly even.
    const even = planGradients(model, 2, 1);
    expect(
      Math.abs(even.owned[0]!.reduce((s, p) => s + p.end - p.start, 0) - even.total / 2),
    ).toBeLessThan(20_000);
  });
});

describe('rowsOf', () => {
  it('splits n rows into near-equal contiguous shares, empty ones when n < replicas', () => {
    expect([0, 1, 2].map((r) => rowsOf(r, 3, 32))).toEqual([
      { start: 0, count: 10 },
      { start: 10, count: 11 },
      { start: 21, count: 11 },
    ]);
    expect([0, 1, 2, 3].map((r) => rowsOf(r, 4, 2).count)).toEqual([0, 1, 0, 1]);
  });
});
