// The convolution explainer: the textbook's 4×4 image and 3×3 filter, stepped window by window
// like the figures of 513_1 (stride) and 514_1 (zero padding): the window on the (padded) image,
// window*filter, its sum, and the output growing cell by cell. The last step shows conv2d's
// answer from @convoy/ops next to the hand-stepped one.

import { button, el, field, select } from '../ui/dom.js';
import { formatCell, matrixTable } from '../ui/matrix-table.js';
import { type ConvolutionWalkthrough, walkConvolution } from './steps.js';
import { TEXTBOOK_FILTER, TEXTBOOK_IMAGE } from './textbook-example.js';

/** The sign between two matrices of the figure. */
function operator(sign: string): HTMLElement {
  return el('div', { class: 'operator', text: sign });
}

export function explainerView(): HTMLElement {
  const strideSelect = select(
    [
      { value: '1', label: '1 (513_1)' },
      { value: '2', label: '2' },
    ],
    '1',
    'explainer-stride',
  );
  const paddingToggle = el('input', { testId: 'explainer-padding', attrs: { type: 'checkbox' } });
  const firstButton = button('« First', 'explainer-first');
  const previousButton = button('◀ Previous', 'explainer-previous');
  const nextButton = button('Next ▶', 'explainer-next', 'primary');
  const lastButton = button('Last »', 'explainer-last');
  const stepLabel = el('div', { class: 'step-label', testId: 'explainer-step' });
  const formula = el('p', { class: 'formula' });
  const stage = el('div', { class: 'matrix-row' });
  const verdict = el('p', { class: 'verdict', testId: 'explainer-verdict' });

  let walk: ConvolutionWalkthrough = walkConvolution(TEXTBOOK_IMAGE, TEXTBOOK_FILTER, {
    stride: 1,
    padding: 0,
  });
  let stepIndex = 0;

  function recompute(): void {
    const stride = Number(strideSelect.value);
    const padding = paddingToggle.checked ? 1 : 0;
    walk = walkConvolution(TEXTBOOK_IMAGE, TEXTBOOK_FILTER, { stride, padding });
    stepIndex = 0;
    const n = TEXTBOOK_IMAGE.length;
    formula.textContent =
      `Output size = ⌊(N + 2P − K) / S⌋ + 1 = ⌊(${n} + 2·${padding} − 3) / ${stride}⌋ + 1 = ${walk.outHeight}` +
      ` → ${walk.outHeight}×${walk.outWidth} output, ${walk.steps.length} windows.`;
    render();
  }

  function render(): void {
    const step = walk.steps[stepIndex]!;
    const padding = paddingToggle.checked ? 1 : 0;
    const last = stepIndex === walk.steps.length - 1;
    stepLabel.textContent = `Step ${stepIndex + 1} of ${walk.steps.length}: window(${step.row}, ${step.col})`;
    const filterSize = TEXTBOOK_FILTER.length;
    // The textbook's figure order: input, window, filter, window*filter, output.
    stage.replaceChildren(
      matrixTable(walk.padded, {
        caption: padding
          ? `image_pad (${walk.padded.length}×${walk.padded.length}, zero padded)`
          : 'image (4×4)',
        highlight: { top: step.top, left: step.left, height: filterSize, width: filterSize },
        padding,
        testId: 'explainer-image',
      }),
      operator('→'),
      matrixTable(step.window, { caption: `window(${step.row}, ${step.col})` }),
      operator('×'),
      matrixTable(TEXTBOOK_FILTER, { caption: 'filter (3×3)' }),
      operator('='),
      matrixTable(step.products, {
        caption: `window(${step.row}, ${step.col})*filter`,
        footer: `sum = ${formatCell(step.sum)}`,
      }),
      operator('Σ →'),
      matrixTable(last ? walk.output : step.partialOutput, {
        caption: last ? 'convolution (= conv2d)' : 'convolution',
        current: { row: step.row, col: step.col },
        testId: 'explainer-output',
      }),
    );
    const stepped = step.partialOutput.flat();
    const agrees = walk.output.flat().every((value, i) => value === stepped[i]);
    verdict.textContent = last
      ? agrees
        ? `Done. conv2d from @convoy/ops gives ${JSON.stringify(walk.output)}, the same as the steps.`
        : `conv2d gives ${JSON.stringify(walk.output)}, but the steps gave ${JSON.stringify(step.partialOutput)}.`
      : 'Each output pixel is the sum of window*filter. Press Next to slide the window.';
    verdict.classList.toggle('done', last && agrees);
    firstButton.disabled = previousButton.disabled = stepIndex === 0;
    nextButton.disabled = lastButton.disabled = last;
  }

  const go = (index: number) => {
    stepIndex = Math.max(0, Math.min(walk.steps.length - 1, index));
    render();
  };
  firstButton.addEventListener('click', () => go(0));
  previousButton.addEventListener('click', () => go(stepIndex - 1));
  nextButton.addEventListener('click', () => go(stepIndex + 1));
  lastButton.addEventListener('click', () => go(walk.steps.length - 1));
  strideSelect.addEventListener('change', recompute);
  paddingToggle.addEventListener('change', recompute);
  recompute();

  return el(
    'section',
    { class: 'view', testId: 'view-explainer' },
    el('h2', { text: 'Convolution, step by step' }),
    el('p', {
      class: 'lead',
      text:
        "The textbook's 4×4 image and 3×3 filter. The filter slides over the image; at each position " +
        'the window is multiplied element by element with the filter and the nine products are summed ' +
        'into one output pixel.',
    }),
    el(
      'div',
      { class: 'controls' },
      field('Stride S', strideSelect),
      el(
        'label',
        { class: 'field checkbox' },
        paddingToggle,
        el('span', { text: 'Zero padding P = 1 (514_1)' }),
      ),
      el('div', { class: 'button-group' }, firstButton, previousButton, nextButton, lastButton),
    ),
    formula,
    stepLabel,
    stage,
    verdict,
  );
}
