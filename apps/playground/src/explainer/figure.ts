// Small pieces the explainer lessons share: the signs between the matrices of a figure, the
// check that the hand-stepped values equal the op's, and the verdict line under the last step.

import { el } from '../ui/dom.js';
import type { Matrix } from './textbook-example.js';

/** The sign between two matrices of the figure. */
export function operator(sign: string): HTMLElement {
  return el('div', { class: 'operator', text: sign });
}

/** Whether the stepped matrices (nulls where not computed) equal the op's, value for value. */
export function sameValues(
  stepped: readonly (readonly (number | null)[])[][],
  computed: readonly Matrix[],
): boolean {
  return computed.every((matrix, m) =>
    matrix.every((row, r) => row.every((value, c) => stepped[m]?.[r]?.[c] === value)),
  );
}

/** `[[38, 27], [48, 49]]`, one channel per line when there are several. */
export function formatChannels(channels: readonly Matrix[]): string {
  return channels.map((m) => JSON.stringify(m)).join(' and ');
}

/** The line under the figure: a hint while stepping, the op's verdict on the last step. */
export function showVerdict(
  verdict: HTMLElement,
  state: { last: boolean; agrees: boolean; hint: string; done: string; differs: string },
): void {
  verdict.textContent = !state.last ? state.hint : state.agrees ? state.done : state.differs;
  verdict.classList.toggle('done', state.last && state.agrees);
}
