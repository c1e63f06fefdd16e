import {
  computeFans,
  createRng,
  glorotUniform,
  Rng,
  randomNormal,
  randomUniform,
} from '@convoy/tensor';
import { describe, expect, it } from 'vitest';

describe('Rng', () => {
  it('gives the same stream for the same seed and another for another seed', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const streamA = Array.from({ length: 5 }, () => a.nextUint32());
    expect(Array.from({ length: 5 }, () => b.nextUint32())).toEqual(streamA);
    expect(Array.from({ length: 5 }, () => c.nextUint32())).not.toEqual(streamA);
  });

  it('keeps its first numbers fixed across releases (saved seeds must keep meaning)', () => {
    const rng = new Rng(1);
    // Computed independently by a Python transcription of splitmix32 seeding + xoshiro128**.
    expect([rng.nextUint32(), rng.nextUint32(), rng.nextUint32()]).toEqual([
      2442144158, 3238099751, 3819917871,
    ]);
    expect(new Rng(1).next()).toBe(2442144158 / 4294967296);
  });

  it('draws uniforms in [0, 1) with the right mean and integers in range', () => {
    const rng = createRng(7);
    let sum = 0;
    for (let i = 0; i < 100_000; i++) {
      const u = rng.next();
      expect(u >= 0 && u < 1).toBe(true);
      sum += u;
    }
    expect(sum / 100_000).toBeCloseTo(0.5, 2);
    const counts = new Array(6).fill(0);
    for (let i = 0; i < 60_000; i++) counts[rng.int(6)]++;
    for (const count of counts) expect(Math.abs(count - 10_000)).toBeLessThan(500);
    expect(() => rng.int(0)).toThrow(/n must be a positive integer, got 0/);
  });

  it('draws standard normals', () => {
    const rng = createRng(3);
    const n = 100_000;
    let sum = 0;
    let sumSquares = 0;
    for (let i = 0; i < n; i++) {
      const z = rng.normal();
      sum += z;
      sumSquares += z * z;
    }
    expect(sum / n).toBeCloseTo(0, 1);
    expect(Math.sqrt(sumSquares / n - (sum / n) ** 2)).toBeCloseTo(1, 1);
  });

  it('shuffles deterministically, keeping every element', () => {
    const a = createRng(5).shuffle([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const b = createRng(5).shuffle([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(a).toEqual(b);
    expect([...a].sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(a).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('rejects a seed that is not a number', () => {
    expect(() => new Rng(Number.NaN)).toThrow(/seed must be a finite number, got NaN/);
  });
});

describe('random tensors', () => {
  it('randomUniform respects bounds and seeds', () => {
    const t = randomUniform([100, 10], { min: -2, max: 3, seed: 1 });
    expect(t.shape).toEqual([100, 10]);
    expect(Math.min(...t.data)).toBeGreaterThanOrEqual(-2);
    expect(Math.max(...t.data)).toBeLessThan(3);
    expect(randomUniform([100, 10], { min: -2, max: 3, seed: 1 }).data).toEqual(t.data);
    expect(() => randomUniform([2], { min: 1, max: 0 })).toThrow(/max \(0\) must be >= min \(1\)/);
  });

  it('randomNormal has the requested mean and standard deviation', () => {
    const t = randomNormal([50_000], { mean: 2, stddev: 0.5, seed: 9 });
    const mean = t.data.reduce((s, v) => s + v, 0) / t.size;
    const variance = t.data.reduce((s, v) => s + (v - mean) ** 2, 0) / t.size;
    expect(mean).toBeCloseTo(2, 2);
    expect(Math.sqrt(variance)).toBeCloseTo(0.5, 2);
  });

  it('can share one generator between tensors', () => {
    const rng = createRng(11);
    const first = randomUniform([4], { seed: rng });
    const second = randomUniform([4], { seed: rng });
    expect(first.data).not.toEqual(second.data);
  });

  it('allocates random tensors on shared memory when asked', () => {
    expect(randomUniform([4], { shared: true }).shared).toBe(true);
  });
});

describe('Rng state', () => {
  it('continues from a saved state, through JSON, exactly as the original goes on', () => {
    const original = createRng(5);
    for (let i = 0; i < 1000; i++) original.nextUint32();
    original.normal(); // leaves the pair's second normal waiting
    const saved = JSON.parse(JSON.stringify(original.getState()));
    const copy = createRng(99);
    copy.setState(saved);
    const order = Array.from({ length: 50 }, (_, i) => i);
    expect(copy.normal()).toBe(original.normal());
    expect(copy.shuffle([...order])).toEqual(original.shuffle([...order]));
    expect(Array.from({ length: 8 }, () => copy.nextUint32())).toEqual(
      Array.from({ length: 8 }, () => original.nextUint32()),
    );
  });

  it('gives unsigned words and no spare normal for a fresh generator', () => {
    const state = createRng(3).getState();
    expect(state.spareNormal).toBeNull();
    for (const word of state.words) expect(word >>> 0).toBe(word);
  });

  it('refuses states that are not four unsigned 32-bit words, naming what came', () => {
    const rng = createRng(1);
    expect(() => rng.setState({ words: [1, 2, 3] } as never)).toThrow(
      'Rng.setState: expected words to be four unsigned 32-bit integers, got [1,2,3]',
    );
    expect(() => rng.setState({ words: [1, 2, 3, 2 ** 32], spareNormal: null })).toThrow(
      'four unsigned 32-bit integers',
    );
    expect(() => rng.setState({ words: [0, 0, 0, 0], spareNormal: null })).toThrow('all zero');
    expect(() => rng.setState({ words: [1, 2, 3, 4], spareNormal: Number.NaN })).toThrow(
      'spareNormal must be a finite number or null, got NaN',
    );
    // A refused state leaves the generator as it was.
    expect(rng.getState()).toEqual(createRng(1).getState());
  });
});

describe('fans and Glorot', () => {
  it('computes fans as Keras does for dense and conv kernels', () => {
    expect(computeFans([12544, 128])).toEqual({ fanIn: 12544, fanOut: 128 });
    expect(computeFans([3, 3, 32, 64])).toEqual({ fanIn: 288, fanOut: 576 });
    expect(computeFans([10])).toEqual({ fanIn: 10, fanOut: 10 });
  });

  it('glorotUniform draws within sqrt(6 / (fanIn + fanOut))', () => {
    const w = glorotUniform([3, 3, 32, 64], { seed: 2 });
    const limit = Math.sqrt(6 / (288 + 576));
    expect(Math.max(...w.data.map(Math.abs))).toBeLessThanOrEqual(limit);
    expect(Math.max(...w.data.map(Math.abs))).toBeGreaterThan(limit * 0.99);
  });
});
