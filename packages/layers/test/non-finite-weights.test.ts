// nonFiniteWeights, which TerminateOnNaN runs after every step: a non-finite value anywhere in a
// weight is found and named, wherever it falls in the scan's groups of four (body or tail), and a
// model of finite weights, signed zeros and extremes included, passes.

import { describe, expect, it } from 'vitest';
import { dense, input, nonFiniteWeights, sequential } from '../src/index.js';

/** A model whose first kernel has 7 elements: a body of one group of four and a tail of three. */
function model() {
  return sequential([input({ shape: [7] }), dense({ units: 1, useBias: false, name: 'seven' })], {
    seed: 1,
  });
}

describe('nonFiniteWeights', () => {
  it('passes finite weights, -0 and ±3.4e38 included', () => {
    const m = model();
    m.layers[0]!.weights[0]!.value.data.set([-0, 0, 3.4e38, -3.4e38, 1e-45, -1, 1]);
    expect(nonFiniteWeights(m)).toBeUndefined();
  });

  it.each([
    [0, Number.NaN],
    [3, Number.POSITIVE_INFINITY],
    [4, Number.NEGATIVE_INFINITY],
    [6, Number.NaN],
  ])('finds element %i set to %d and names its layer and position', (at, value) => {
    const m = model();
    m.layers[0]!.weights[0]!.value.data[at] = value;
    const found = nonFiniteWeights(m);
    expect(found).toMatchObject({ kind: 'weights', layer: 'seven' });
    expect(found!.finding).toContain(`(${value} at element ${at})`);
  });
});
