// The kernel editor's parsing: what a learner types into the grid, and the errors a typo gives.
import { getKernel } from '@convoy/vision';
import { describe, expect, it } from 'vitest';
import {
  entriesFromKernel,
  formatWeight,
  kernelFromEntries,
  parseNumberEntry,
} from '../src/kernel-lab/kernel-entries.js';

const grid = (rows: string) => rows.split(';').map((row) => row.trim().split(/\s+/));

describe('parseNumberEntry', () => {
  it('reads integers, decimals, exponents and fractions', () => {
    expect(parseNumberEntry('-1', 'a')).toBe(-1);
    expect(parseNumberEntry(' 8 ', 'a')).toBe(8);
    expect(parseNumberEntry('.5', 'a')).toBe(0.5);
    expect(parseNumberEntry('1e-1', 'a')).toBe(0.1);
    expect(parseNumberEntry('1/9', 'a')).toBeCloseTo(1 / 9, 15);
    expect(parseNumberEntry('-3 / 4', 'a')).toBe(-0.75);
  });

  it('rejects words, empty cells and division by zero, naming the cell', () => {
    expect(() => parseNumberEntry('x', 'row 2, column 3')).toThrow(
      'kernel: row 2, column 3: expected a number or a fraction a/b, got "x"',
    );
    expect(() => parseNumberEntry('', 'divisor')).toThrow('kernel: divisor: expected a number');
    expect(() => parseNumberEntry('1/2/3', 'a')).toThrow('expected a number or a fraction');
    expect(() => parseNumberEntry('1/0', 'a')).toThrow('"1/0" is not a finite number');
  });
});

describe('kernelFromEntries', () => {
  it("builds the chapter's edge kernel from the grid", () => {
    const kernel = kernelFromEntries({ cells: grid('-1 -1 -1; -1 8 -1; -1 -1 -1'), divisor: '1' });
    expect(kernel.weights).toEqual(getKernel('edge').weights);
    expect(kernel.divisor).toBe(1);
  });

  it('keeps the divisor separate, like 1/9 × ones for the mean filter', () => {
    const kernel = kernelFromEntries({ cells: grid('1 1 1; 1 1 1; 1 1 1'), divisor: '9' });
    expect(kernel.divisor).toBe(9);
    expect(kernel.weights.flat()).toEqual(new Array(9).fill(1));
  });

  it('rejects a bad cell, a zero divisor and an even-sized grid', () => {
    expect(() => kernelFromEntries({ cells: grid('1 1 1; 1 q 1; 1 1 1'), divisor: '1' })).toThrow(
      'row 2, column 2',
    );
    expect(() => kernelFromEntries({ cells: grid('1 1 1; 1 1 1; 1 1 1'), divisor: '0' })).toThrow(
      'divisor: must not be 0',
    );
    expect(() => kernelFromEntries({ cells: grid('1 1; 1 1'), divisor: '1' })).toThrow(
      /odd height and width/,
    );
  });
});

describe('entriesFromKernel', () => {
  it('shows every catalogue kernel so that parsing it back gives the same kernel', () => {
    for (const name of ['identity', 'mean', 'gaussian', 'sharpen', 'edge', 'laplacian', 'emboss']) {
      const kernel = getKernel(name);
      const back = kernelFromEntries(entriesFromKernel(kernel));
      expect(back.weights).toEqual(kernel.weights);
      expect(back.divisor).toBe(kernel.divisor);
    }
  });

  it('formats weights readably', () => {
    expect(formatWeight(9)).toBe('9');
    expect(formatWeight(-1 / 9)).toBe('-1/9');
    expect(formatWeight(0.3)).toBe('0.3');
  });
});
