// A seeded, deterministic random number generator (xoshiro128**, seeded through splitmix32) and
// tensors of random numbers. The same seed gives the same numbers on every platform.

import { assertValidShape, type Shape, sizeOf } from './shape.js';
import { type AllocateOptions, allocate } from './storage.js';
import { Tensor } from './tensor.js';

/**
 * Everything an Rng's next draws depend on, as plain JSON: the four xoshiro128** words and the
 * Box-Muller normal waiting for its turn. A checkpoint saves it so a resumed run draws the same
 * numbers (the same shuffles) as one that never stopped.
 */
export interface RngState {
  words: [number, number, number, number];
  spareNormal: number | null;
}

export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  /** Box-Muller makes normals in pairs; the second waits here. */
  private spareNormal: number | undefined;

  constructor(seed: number) {
    if (!Number.isFinite(seed))
      throw new RangeError(`Rng: seed must be a finite number, got ${seed}`);
    let state = Math.trunc(seed) >>> 0;
    const splitmix32 = (): number => {
      state = (state + 0x9e3779b9) >>> 0;
      let z = state;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = splitmix32();
    this.s1 = splitmix32();
    this.s2 = splitmix32();
    this.s3 = splitmix32();
  }

  /** A copy of the state: `setState` of it makes this or another Rng continue from here. */
  getState(): RngState {
    // The words go negative after XORs; unsigned is the same bits and reads the same in JSON.
    const words = [this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0] as RngState['words'];
    return { words, spareNormal: this.spareNormal ?? null };
  }

  /** Continues from a state `getState` returned (or read back from JSON), checked first. */
  setState(state: RngState): void {
    const words = (state as Partial<RngState> | null)?.words;
    const spare = (state as Partial<RngState> | null)?.spareNormal;
    const valid =
      Array.isArray(words) &&
      words.length === 4 &&
      words.every((word) => Number.isInteger(word) && word >= 0 && word <= 0xffffffff);
    if (!valid) {
      throw new RangeError(
        `Rng.setState: expected words to be four unsigned 32-bit integers, got ${JSON.stringify(words)}`,
      );
    }
    // All-zero is xoshiro's one fixed point: it would return 0 forever.
    if (words.every((word) => word === 0))
      throw new RangeError('Rng.setState: the four words are all zero, which no seed produces');
    if (!(spare === null || spare === undefined || Number.isFinite(spare))) {
      throw new RangeError(
        `Rng.setState: spareNormal must be a finite number or null, got ${String(spare)}`,
      );
    }
    [this.s0, this.s1, this.s2, this.s3] = words as RngState['words'];
    this.spareNormal = spare ?? undefined;
  }

  /** The next 32 random bits as an unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform in [min, max). */
  uniform(min = 0, max = 1): number {
    return min + (max - min) * this.next();
  }

  /** A uniform integer in [0, n). */
  int(n: number): number {
    if (!Number.isSafeInteger(n) || n <= 0)
      throw new RangeError(`Rng.int: n must be a positive integer, got ${n}`);
    return Math.floor(this.next() * n);
  }

  /** Standard normal (mean 0, standard deviation 1). */
  normal(): number {
    if (this.spareNormal !== undefined) {
      const spare = this.spareNormal;
      this.spareNormal = undefined;
      return spare;
    }
    // 1 - next() lies in (0, 1], so the logarithm is finite.
    const radius = Math.sqrt(-2 * Math.log(1 - this.next()));
    const angle = 2 * Math.PI * this.next();
    this.spareNormal = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  }

  /** Shuffles `items` in place (Fisher-Yates) and returns it. */
  shuffle<T extends { length: number; [i: number]: unknown }>(items: T): T {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
    return items;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

export function createRng(seed: number): Rng {
  return new Rng(seed);
}

export interface RandomOptions extends AllocateOptions {
  /** A seed, or a generator to draw from (so several tensors can share one stream). */
  seed?: number | Rng;
}

function rngFrom(seed: number | Rng | undefined): Rng {
  if (seed instanceof Rng) return seed;
  return new Rng(seed ?? 0);
}

export function randomUniform(
  shape: Shape,
  { min = 0, max = 1, ...options }: RandomOptions & { min?: number; max?: number } = {},
): Tensor<'float32'> {
  assertValidShape(shape, 'randomUniform');
  if (!(max >= min)) throw new RangeError(`randomUniform: max (${max}) must be >= min (${min})`);
  const rng = rngFrom(options.seed);
  const data = allocate('float32', sizeOf(shape), options);
  for (let i = 0; i < data.length; i++) data[i] = rng.uniform(min, max);
  return new Tensor(data, shape, 'float32');
}

export function randomNormal(
  shape: Shape,
  { mean = 0, stddev = 1, ...options }: RandomOptions & { mean?: number; stddev?: number } = {},
): Tensor<'float32'> {
  assertValidShape(shape, 'randomNormal');
  if (!(stddev >= 0)) throw new RangeError(`randomNormal: stddev must be >= 0, got ${stddev}`);
  const rng = rngFrom(options.seed);
  const data = allocate('float32', sizeOf(shape), options);
  for (let i = 0; i < data.length; i++) data[i] = mean + stddev * rng.normal();
  return new Tensor(data, shape, 'float32');
}
