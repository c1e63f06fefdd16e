// The kernel editor's logic, apart from the DOM: the editor is a grid of text cells (one per
// weight) and a divisor, like the textbook's "1/9 × ones". A cell takes a decimal or a fraction
// such as 1/9; parsing is strict so that a typo shows an error instead of filtering with a wrong
// kernel. The result is a @convoy/vision Kernel, so the lab filters exactly as the library does.

import { customKernel, type Kernel } from '@convoy/vision';

/** What the editor shows: the weights as text, row by row, and the divisor as text. */
export interface KernelEntries {
  cells: string[][];
  divisor: string;
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** One number as typed: a decimal or a fraction a/b. `where` names the cell in errors. */
export function parseNumberEntry(text: string, where: string): number {
  const trimmed = text.trim();
  const parts = trimmed.split('/');
  const valid = parts.length <= 2 && parts.every((part) => NUMBER.test(part.trim()));
  if (!valid) {
    throw new SyntaxError(
      `kernel: ${where}: expected a number or a fraction a/b, got "${trimmed}"`,
    );
  }
  const value = Number(parts[0]) / (parts.length === 2 ? Number(parts[1]) : 1);
  if (!Number.isFinite(value)) {
    throw new RangeError(`kernel: ${where}: "${trimmed}" is not a finite number`);
  }
  return value;
}

/** Builds the kernel the editor describes, or throws an error naming the bad cell. */
export function kernelFromEntries(entries: KernelEntries): Kernel {
  const weights = entries.cells.map((row, r) =>
    row.map((cell, c) => parseNumberEntry(cell, `row ${r + 1}, column ${c + 1}`)),
  );
  const divisor = parseNumberEntry(entries.divisor, 'divisor');
  if (divisor === 0) throw new RangeError('kernel: divisor: must not be 0');
  return customKernel(weights, { divisor, name: 'custom', description: 'your own kernel' });
}

/** Shortest readable text for a weight: integers stay integers, ninths become n/9. */
export function formatWeight(value: number): string {
  if (Number.isInteger(value)) return String(value);
  for (const denominator of [2, 3, 4, 8, 9, 16, 25]) {
    const numerator = value * denominator;
    if (Math.abs(numerator - Math.round(numerator)) < 1e-9) {
      return `${Math.round(numerator)}/${denominator}`;
    }
  }
  return String(Number(value.toPrecision(6)));
}

export function entriesFromKernel(kernel: Kernel): KernelEntries {
  return {
    cells: kernel.weights.map((row) => row.map(formatWeight)),
    divisor: formatWeight(kernel.divisor),
  };
}
