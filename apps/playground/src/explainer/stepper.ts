// The « First · ◀ Previous · Next ▶ · Last » buttons every explainer lesson steps with. The
// lesson says what a step shows; this only keeps the index in range and the buttons in state.

import { button, el } from '../ui/dom.js';

export interface Stepper {
  element: HTMLElement;
  /** Starts over with `count` steps and shows the first. */
  reset(count: number): void;
  /** Shows step `index` (clamped to the steps there are). */
  go(index: number): void;
}

/** `show(index, last)` draws step `index`; `last` is true on the final step. */
export function stepper(show: (index: number, last: boolean) => void): Stepper {
  const firstButton = button('« First', 'explainer-first');
  const previousButton = button('◀ Previous', 'explainer-previous');
  const nextButton = button('Next ▶', 'explainer-next', 'primary');
  const lastButton = button('Last »', 'explainer-last');
  let count = 1;
  let index = 0;

  function go(target: number): void {
    index = Math.max(0, Math.min(count - 1, target));
    const last = index === count - 1;
    show(index, last);
    firstButton.disabled = previousButton.disabled = index === 0;
    nextButton.disabled = lastButton.disabled = last;
  }
  firstButton.addEventListener('click', () => go(0));
  previousButton.addEventListener('click', () => go(index - 1));
  nextButton.addEventListener('click', () => go(index + 1));
  lastButton.addEventListener('click', () => go(count - 1));

  return {
    element: el(
      'div',
      { class: 'button-group' },
      firstButton,
      previousButton,
      nextButton,
      lastButton,
    ),
    reset(steps: number) {
      count = Math.max(1, steps);
      go(0);
    },
    go,
  };
}
