// Small numeric matrices drawn as tables, like the bracketed matrices in the textbook's figures:
// an optional highlighted window (the filter's current position), greyed padding cells, and
// empty cells for output values not computed yet.

import { el } from './dom.js';

export interface MatrixTableOptions {
  caption: string;
  testId?: string;
  /** Highlight rows top..top+height-1 and columns left..left+width-1. */
  highlight?: { top: number; left: number; height: number; width: number };
  /** Cells within this many rows/columns of the border are zero padding. */
  padding?: number;
  /** One cell to mark as "just computed". */
  current?: { row: number; col: number };
  /** A line under the matrix, e.g. "sum = 31". */
  footer?: string;
}

export function formatCell(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

export function matrixTable(
  matrix: readonly (readonly (number | null)[])[],
  options: MatrixTableOptions,
): HTMLElement {
  const rows = matrix.length;
  const cols = matrix[0]?.length ?? 0;
  const table = el('table', {
    class: 'matrix',
    ...(options.testId ? { testId: options.testId } : {}),
  });
  matrix.forEach((row, r) => {
    const tr = el('tr');
    row.forEach((value, c) => {
      const classes: string[] = [];
      const { highlight, padding, current } = options;
      if (
        highlight &&
        r >= highlight.top &&
        r < highlight.top + highlight.height &&
        c >= highlight.left &&
        c < highlight.left + highlight.width
      ) {
        classes.push('in-window');
      }
      if (padding && (r < padding || c < padding || r >= rows - padding || c >= cols - padding)) {
        classes.push('padding');
      }
      if (current && current.row === r && current.col === c) classes.push('current');
      if (value === null) classes.push('empty');
      tr.append(
        el('td', { class: classes.join(' '), text: value === null ? '' : formatCell(value) }),
      );
    });
    table.append(tr);
  });
  return el(
    'figure',
    { class: 'matrix-figure' },
    table,
    el('figcaption', { text: options.caption }),
    options.footer ? el('div', { class: 'matrix-footer', text: options.footer }) : null,
  );
}
