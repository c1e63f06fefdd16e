// numpy-like text for tensors: small matrices read as the textbook prints them
// (`[[31. 27.]\n [45. 23.]]`); large ones are summarized with `...` the way numpy does.

import type { DType, TypedArray } from './dtype.js';
import type { Shape } from './shape.js';
import { stridesOf } from './shape.js';

/** Above this many elements, only the first and last `EDGE_ITEMS` along each axis are shown. */
const SUMMARY_THRESHOLD = 1000;
const EDGE_ITEMS = 3;

function formatFloat(value: number, allIntegers: boolean, decimals: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  if (allIntegers) return `${value.toFixed(0)}.`;
  return value.toFixed(decimals).replace(/0+$/, '');
}

/** The fewest decimals (up to 4, as numpy's default 8 significant digits rarely matter here). */
function decimalsFor(values: Iterable<number>): number {
  let decimals = 0;
  for (const value of values) {
    if (!Number.isFinite(value)) continue;
    for (let d = decimals; d <= 4; d++) {
      if (Math.abs(Number(value.toFixed(d)) - value) <= 1e-7 * Math.max(1, Math.abs(value))) break;
      decimals = Math.min(d + 1, 4);
    }
  }
  return decimals;
}

function visibleIndices(length: number, summarize: boolean): (number | null)[] {
  if (!summarize || length <= 2 * EDGE_ITEMS) return Array.from({ length }, (_, i) => i);
  const head = Array.from({ length: EDGE_ITEMS }, (_, i) => i);
  const tail = Array.from({ length: EDGE_ITEMS }, (_, i) => length - EDGE_ITEMS + i);
  return [...head, null, ...tail];
}

export function formatTensor(data: TypedArray, shape: Shape, dtype: DType): string {
  const summarize = data.length > SUMMARY_THRESHOLD;
  const strides = stridesOf(shape);

  // Collect the elements that will be shown, to pick one width and precision for all of them.
  const shown: number[] = [];
  const collect = (axis: number, offset: number): void => {
    if (axis === shape.length) {
      shown.push(data[offset]!);
      return;
    }
    for (const i of visibleIndices(shape[axis]!, summarize)) {
      if (i !== null) collect(axis + 1, offset + i * strides[axis]!);
    }
  };
  collect(0, 0);

  const isFloat = dtype === 'float32';
  const allIntegers = shown.every((v) => Number.isInteger(v) || !Number.isFinite(v));
  const decimals = isFloat && !allIntegers ? decimalsFor(shown) : 0;
  const raw = (v: number): string => (isFloat ? formatFloat(v, allIntegers, decimals) : String(v));
  // numpy lines floats up on the decimal point: the integer part is padded on the left and the
  // fraction on the right.
  const split = (s: string): [string, string] => {
    const dot = s.indexOf('.');
    return dot < 0 ? [s, ''] : [s.slice(0, dot), s.slice(dot)];
  };
  const intWidth = Math.max(1, ...shown.map((v) => split(raw(v))[0].length));
  const fracWidth = Math.max(0, ...shown.map((v) => split(raw(v))[1].length));
  const text = (v: number): string => {
    const [whole, fraction] = split(raw(v));
    return whole.padStart(intWidth) + fraction.padEnd(fracWidth);
  };

  const render = (axis: number, offset: number, indent: string): string => {
    if (axis === shape.length) return text(data[offset]!);
    const items = visibleIndices(shape[axis]!, summarize).map((i) =>
      i === null ? '...' : render(axis + 1, offset + i * strides[axis]!, `${indent} `),
    );
    if (axis === shape.length - 1) return `[${items.join(' ')}]`;
    const blankLines = '\n'.repeat(shape.length - axis - 1);
    return `[${items.join(`${blankLines}${indent} `)}]`;
  };
  return render(0, 0, '');
}
