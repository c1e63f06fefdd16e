import { describe, expect, it } from 'vitest';
import {
  customKernel,
  formatKernel,
  getKernel,
  kernelSize,
  listKernels,
  parseKernel,
} from '../src/index.js';

describe('kernel catalogue', () => {
  it("holds the chapter's three filters exactly", () => {
    expect(getKernel('mean')).toMatchObject({
      weights: [
        [1, 1, 1],
        [1, 1, 1],
        [1, 1, 1],
      ],
      divisor: 9,
    });
    expect(getKernel('sharpen')).toMatchObject({
      weights: [
        [-1, -1, -1],
        [-1, 9, -1],
        [-1, -1, -1],
      ],
      divisor: 1,
    });
    expect(getKernel('edge')).toMatchObject({
      weights: [
        [-1, -1, -1],
        [-1, 8, -1],
        [-1, -1, -1],
      ],
      divisor: 1,
    });
  });

  it('has the classic kernels, each odd-sized, and finds aliases case-insensitively', () => {
    const names = listKernels().map((k) => k.name);
    for (const name of [
      'identity',
      'mean',
      'mean5',
      'gaussian',
      'gaussian5',
      'sharpen',
      'edge',
      'sobel-x',
      'sobel-y',
      'laplacian',
      'emboss',
    ]) {
      expect(names).toContain(name);
    }
    for (const kernel of listKernels()) {
      const [h, w] = kernelSize(kernel);
      expect(h % 2, kernel.name).toBe(1);
      expect(w % 2, kernel.name).toBe(1);
    }
    expect(getKernel('BOX')).toBe(getKernel('mean'));
    expect(getKernel('sobelx').name).toBe('sobel-x');
    // Blurs keep a flat image flat: their weights sum to the divisor.
    for (const name of ['mean', 'mean5', 'gaussian', 'gaussian5', 'identity', 'sharpen']) {
      const k = getKernel(name);
      expect(
        k.weights.flat().reduce((a, b) => a + b, 0),
        name,
      ).toBe(k.divisor);
    }
    expect(
      getKernel('edge')
        .weights.flat()
        .reduce((a, b) => a + b, 0),
    ).toBe(0);
  });

  it('names the known kernels when a name is unknown', () => {
    expect(() => getKernel('blurry')).toThrow(
      /getKernel: unknown kernel 'blurry'; known kernels: identity, mean, .*edge/,
    );
  });

  it('is frozen so nobody changes the chapter filters by accident', () => {
    const edge = getKernel('edge');
    expect(Object.isFrozen(edge)).toBe(true);
    expect(Object.isFrozen(edge.weights[0])).toBe(true);
  });
});

describe('custom kernels', () => {
  it('accepts rows of numbers and a divisor', () => {
    const k = customKernel(
      [
        [1, 2, 1],
        [2, 4, 2],
        [1, 2, 1],
      ],
      { divisor: 16, name: 'g' },
    );
    expect(k).toMatchObject({ name: 'g', divisor: 16 });
    expect(kernelSize(customKernel([[1, 2, 3, 4, 5]]))).toEqual([1, 5]);
  });

  it('rejects a kernel of even size', () => {
    expect(() =>
      customKernel([
        [1, 1],
        [1, 1],
      ]),
    ).toThrow(
      'customKernel: kernel must have an odd height and width (so it has a centre pixel), got 2x2',
    );
    expect(() =>
      customKernel([
        [1, 1, 1, 1],
        [1, 1, 1, 1],
        [1, 1, 1, 1],
      ]),
    ).toThrow(/got 3x4/);
  });

  it('rejects ragged rows, non-numbers and a zero divisor', () => {
    expect(() =>
      customKernel([
        [1, 2, 3],
        [1, 2],
        [1, 2, 3],
      ]),
    ).toThrow(/rows must all have the same length: row 0 has 3, row 1 has 2/);
    expect(() => customKernel([[1, Number.NaN, 1]])).toThrow(/finite numbers/);
    expect(() => customKernel([[1]], { divisor: 0 })).toThrow(
      /divisor must be a finite non-zero number, got 0/,
    );
    expect(() => customKernel([])).toThrow(/non-empty array of rows/);
  });

  it('parses command-line matrices', () => {
    expect(parseKernel('-1,-1,-1; -1,8,-1; -1,-1,-1').weights).toEqual(getKernel('edge').weights);
    const mean = parseKernel('1 1 1;1 1 1;1 1 1 / 9');
    expect(mean.weights).toEqual(getKernel('mean').weights);
    expect(mean.divisor).toBe(9);
    expect(() => parseKernel('1,x,1')).toThrow(/'x' is not a number/);
    expect(() => parseKernel('1,1;1,1')).toThrow(/odd height and width/);
  });

  it('formats a matrix with its divisor', () => {
    expect(formatKernel(getKernel('edge'))).toBe('[ -1 -1 -1 ]\n[ -1  8 -1 ]\n[ -1 -1 -1 ]');
    expect(formatKernel(getKernel('mean'))).toBe('    [ 1 1 1 ]\n1/9 [ 1 1 1 ]\n    [ 1 1 1 ]');
  });
});
