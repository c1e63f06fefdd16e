// A matMul shard that owns a range of columns or of the shared dimension: the WebAssembly kernel
// equals the reference loops, both write only their rows and columns, and depth slices add up to
// the whole product — for every combination of transposes, across the GEMM's depth (256) and
// column (512) blocks.

import { describe, expect, it } from 'vitest';
import type { MatMulGeometry, Range } from '../../src/backend.js';
import { referenceBackend } from '../../src/reference/backend.js';
import { createWasmBackend, supportedWasmVariants } from '../../src/wasm/backend.js';
import { randomTensor } from '../helpers/random.js';
import { nanArray } from './compare.js';

interface PartCase {
  m: number;
  k: number;
  n: number;
  rows: Range;
  columns: Range;
  depth: Range;
}

// Odd sizes, ranges that start and end inside panels (8 columns) and blocks, and empty ranges.
const parts: PartCase[] = [
  {
    m: 5,
    k: 37,
    n: 29,
    rows: { start: 0, end: 5 },
    columns: { start: 3, end: 20 },
    depth: { start: 5, end: 30 },
  },
  {
    m: 3,
    k: 600,
    n: 530,
    rows: { start: 1, end: 3 },
    columns: { start: 13, end: 527 },
    depth: { start: 250, end: 600 },
  },
  {
    m: 9,
    k: 20,
    n: 12,
    rows: { start: 2, end: 9 },
    columns: { start: 11, end: 12 },
    depth: { start: 0, end: 1 },
  },
  {
    m: 4,
    k: 16,
    n: 10,
    rows: { start: 0, end: 4 },
    columns: { start: 4, end: 4 },
    depth: { start: 7, end: 7 },
  },
];

const transposes = [
  { transposeA: false, transposeB: false },
  { transposeA: true, transposeB: false },
  { transposeA: false, transposeB: true },
  { transposeA: true, transposeB: true },
];

const backends = [
  { name: 'reference', backend: referenceBackend },
  ...supportedWasmVariants().map((variant) => ({
    name: `wasm ${variant}`,
    backend: createWasmBackend({ variant }),
  })),
];

describe.each(backends)('matMul parts on $name', ({ backend }) => {
  parts.forEach((part, index) => {
    for (const flags of transposes) {
      const g: MatMulGeometry = { m: part.m, k: part.k, n: part.n, ...flags };
      const label = `${part.m}×${part.k}·${part.k}×${part.n} ${JSON.stringify(flags)}`;
      const a = randomTensor([part.m * part.k], 600 + index).data;
      const b = randomTensor([part.k * part.n], 700 + index).data;
      const full = nanArray(part.m * part.n);
      referenceBackend.matMul(a, b, full, g, { start: 0, end: part.m });

      it(`${label}: columns [${part.columns.start}, ${part.columns.end}) of rows [${part.rows.start}, ${part.rows.end})`, () => {
        const out = nanArray(part.m * part.n);
        backend.matMul(a, b, out, { ...g, columns: part.columns }, part.rows);
        for (let row = 0; row < part.m; row++) {
          const inRows = row >= part.rows.start && row < part.rows.end;
          for (let col = 0; col < part.n; col++) {
            const i = row * part.n + col;
            const inColumns = col >= part.columns.start && col < part.columns.end;
            if (inRows && inColumns) expect(Math.abs(out[i]! - full[i]!)).toBeLessThan(1e-4);
            else expect(out[i]).toBeNaN();
          }
        }
      });

      it(`${label}: depth slices add up to the whole product`, () => {
        const cut = part.depth;
        const slices = [{ start: 0, end: cut.start }, cut, { start: cut.end, end: part.k }];
        const sum = new Float32Array(part.m * part.n);
        for (const depth of slices) {
          const out = nanArray(part.m * part.n);
          backend.matMul(a, b, out, { ...g, depth }, part.rows);
          // Rows outside the range stay untouched; every element inside is written (an empty
          // slice writes zeros).
          const first = part.rows.start * part.n;
          const last = part.rows.end * part.n;
          expect(out.subarray(0, first).every(Number.isNaN)).toBe(true);
          expect(out.subarray(last).every(Number.isNaN)).toBe(true);
          expect(out.subarray(first, last).every(Number.isFinite)).toBe(true);
          for (let i = first; i < last; i++) sum[i]! += out[i]!;
        }
        for (let i = part.rows.start * part.n; i < part.rows.end * part.n; i++) {
          expect(Math.abs(sum[i]! - full[i]!)).toBeLessThan(1e-4);
        }
      });
    }
  });
});
