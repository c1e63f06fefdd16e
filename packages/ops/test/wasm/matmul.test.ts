// The WebAssembly matMul equals the reference for every combination of transposes, across the
// GEMM's depth and column blocks, and writes only the rows it was given.

import { describe, it } from 'vitest';
import { referenceBackend } from '../../src/reference/backend.js';
import { createWasmBackend, supportedWasmVariants } from '../../src/wasm/backend.js';
import { randomTensor } from '../helpers/random.js';
import { kernelMatMulCases } from './cases.js';
import { expectRangeMatches, nanArray } from './compare.js';

describe.each(supportedWasmVariants())('wasm matMul (%s build)', (variant) => {
  const backend = createWasmBackend({ variant });

  describe.each(
    kernelMatMulCases.map((c, index) => ({
      c,
      index,
      label: `a=${c.transposeA ? `[${c.k},${c.m}]ᵀ` : `[${c.m},${c.k}]`} b=${c.transposeB ? `[${c.n},${c.k}]ᵀ` : `[${c.k},${c.n}]`}`,
    })),
  )('$label', ({ c, index }) => {
    const a = randomTensor([c.m * c.k], 400 + index).data;
    const b = randomTensor([c.k * c.n], 500 + index).data;

    it.each(c.ranges)('rows [$start, $end)', (range) => {
      const expected = nanArray(c.m * c.n);
      const actual = nanArray(c.m * c.n);
      referenceBackend.matMul(a, b, expected, c, range);
      backend.matMul(a, b, actual, c, range);
      expectRangeMatches(actual, expected, range.start * c.n, range.end * c.n);
    });
  });
});
