// The explainer's steps must tell the same story as @convoy/ops conv2d, on the textbook's numbers.
import { describe, expect, it } from 'vitest';
import { outputSize, walkConvolution, zeroPad } from '../src/explainer/steps.js';
import { TEXTBOOK_FILTER, TEXTBOOK_IMAGE } from '../src/explainer/textbook-example.js';

const lastOutput = (walk: ReturnType<typeof walkConvolution>) => walk.steps.at(-1)!.partialOutput;

describe('walkConvolution on the textbook example', () => {
  it('513_1 (stride 1, no padding): four windows, output [[31, 27], [45, 23]] equal to conv2d', () => {
    const walk = walkConvolution(TEXTBOOK_IMAGE, TEXTBOOK_FILTER, { stride: 1, padding: 0 });
    expect(walk.steps).toHaveLength(4);
    expect(walk.output).toEqual([
      [31, 27],
      [45, 23],
    ]);
    expect(lastOutput(walk)).toEqual(walk.output);
  });

  it('shows the textbook step 1: window(0, 0) and window(0, 0)*filter', () => {
    const [first] = walkConvolution(TEXTBOOK_IMAGE, TEXTBOOK_FILTER, {
      stride: 1,
      padding: 0,
    }).steps;
    expect(first!.window).toEqual([
      [3, 4, 0],
      [3, 0, 0],
      [4, 4, 1],
    ]);
    expect(first!.products).toEqual([
      [12, 8, 0],
      [6, 0, 0],
      [4, 0, 1],
    ]);
    expect(first!.sum).toBe(31);
    expect(first!.partialOutput).toEqual([
      [31, null],
      [null, null],
    ]);
  });

  it('shows the textbook step 4: window(1, 1)*filter sums to 23', () => {
    const step = walkConvolution(TEXTBOOK_IMAGE, TEXTBOOK_FILTER, { stride: 1, padding: 0 })
      .steps[3]!;
    expect([step.row, step.col]).toEqual([1, 1]);
    expect(step.products).toEqual([
      [0, 0, 4],
      [8, 4, 2],
      [2, 0, 3],
    ]);
    expect(step.sum).toBe(23);
  });

  it('514_1 (zero padding 1): 4×4 output equal to conv2d and to the textbook', () => {
    const walk = walkConvolution(TEXTBOOK_IMAGE, TEXTBOOK_FILTER, { stride: 1, padding: 1 });
    const expected = [
      [16, 25, 10, 4],
      [38, 31, 27, 7],
      [28, 45, 23, 16],
      [42, 48, 49, 28],
    ];
    expect(walk.padded).toHaveLength(6);
    expect(walk.steps).toHaveLength(16);
    expect(walk.output).toEqual(expected);
    expect(lastOutput(walk)).toEqual(expected);
  });

  it.each([
    { stride: 2, padding: 0, size: 1 },
    { stride: 2, padding: 1, size: 2 },
    { stride: 3, padding: 1, size: 2 },
  ])(
    'stride $stride, padding $padding: $size×$size output, steps equal conv2d',
    ({ stride, padding, size }) => {
      const walk = walkConvolution(TEXTBOOK_IMAGE, TEXTBOOK_FILTER, { stride, padding });
      expect([walk.outHeight, walk.outWidth]).toEqual([size, size]);
      expect(walk.output).toHaveLength(size);
      expect(lastOutput(walk)).toEqual(walk.output);
    },
  );

  it('stride 2 with padding 1 reads windows at the padded corners (0,0), (0,2), (2,0), (2,2)', () => {
    const walk = walkConvolution(TEXTBOOK_IMAGE, TEXTBOOK_FILTER, { stride: 2, padding: 1 });
    expect(walk.steps.map((s) => [s.top, s.left])).toEqual([
      [0, 0],
      [0, 2],
      [2, 0],
      [2, 2],
    ]);
    // 514_1's padded output sampled every second pixel.
    expect(walk.output).toEqual([
      [16, 10],
      [28, 23],
    ]);
  });

  it('rejects bad settings with a clear error', () => {
    expect(() =>
      walkConvolution(TEXTBOOK_IMAGE, TEXTBOOK_FILTER, { stride: 0, padding: 0 }),
    ).toThrow(/stride must be a positive integer, got 0/);
    expect(() =>
      walkConvolution(TEXTBOOK_IMAGE, TEXTBOOK_FILTER, { stride: 1, padding: -1 }),
    ).toThrow(/padding must be a non-negative integer/);
    expect(() => walkConvolution([[1, 2]], TEXTBOOK_FILTER, { stride: 1, padding: 0 })).toThrow(
      /does not fit a 1×2 image/,
    );
    expect(() =>
      walkConvolution([[1, 2], [3]], TEXTBOOK_FILTER, { stride: 1, padding: 0 }),
    ).toThrow(/image must be a non-empty rectangular matrix/);
  });
});

describe('helpers', () => {
  it('outputSize follows floor((N + 2P - K) / S) + 1', () => {
    expect(outputSize(4, 3, 1, 0)).toBe(2);
    expect(outputSize(4, 3, 1, 1)).toBe(4);
    expect(outputSize(500, 3, 1, 1)).toBe(500);
    expect(outputSize(5, 3, 2, 0)).toBe(2);
  });

  it('zeroPad surrounds the image with P rows and columns of zeros', () => {
    expect(zeroPad([[1, 2]], 1)).toEqual([
      [0, 0, 0, 0],
      [0, 1, 2, 0],
      [0, 0, 0, 0],
    ]);
  });
});
