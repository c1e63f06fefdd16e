// Lesson 513_1 / 514_1: the textbook's 4×4 image and 3×3 filter, stepped window by window: the
// window on the (padded) image, window×filter, its sum, and the output growing cell by cell, with
// stride 1 or 2 and zero padding 0 or 1. The last step shows conv2d's answer from @convoy/ops
// next to the hand-stepped one.

import { el, field, select } from '../ui/dom.js';
import { formatCell, matrixTable } from '../ui/matrix-table.js';
import { operator } from './figure.js';
import { stepper } from './stepper.js';
import { type ConvolutionWalkthrough, walkConvolution } from './steps.js';
import { TEXTBOOK_FILTER, TEXTBOOK_IMAGE } from './textbook-example.js';

export function convLesson(): HTMLElement {
  const strideSelect = select(
    [
      { value: '1', label: '1 (513_1)' },
      { value: '2', label: '2' },
    ],
    '1',
    'explainer-stride',
  );
  const paddingToggle = el('input', { testId: 'explainer-padding', attrs: { type: 'checkbox' } });
  const stepLabel = el('div', { class: 'step-label', testId: 'explainer-step' });
  const formula = el('p', { class: 'formula', testId: 'explainer-formula' });
  const stage = el('div', { class: 'matrix-row' });
  const verdict = el('p', { class: 'verdict', testId: 'explainer-verdict' });
  let walk: ConvolutionWalkthrough;

  const steps = stepper((index, last) => {
    const step = walk.steps[index]!;
    const padding = paddingToggle.checked ? 1 : 0;
    stepLabel.textContent = `Step ${index + 1} of ${walk.steps.length}: window(${step.row}, ${step.col})`;
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
  });

  function recompute(): void {
    const stride = Number(strideSelect.value);
    const padding = paddingToggle.checked ? 1 : 0;
    walk = walkConvolution(TEXTBOOK_IMAGE, TEXTBOOK_FILTER, { stride, padding });
    const n = TEXTBOOK_IMAGE.length;
    formula.textContent =
      `Output size = ⌊(N + 2P − K) / S⌋ + 1 = ⌊(${n} + 2·${padding} − 3) / ${stride}⌋ + 1 = ${walk.outHeight}` +
      ` → ${walk.outHeight}×${walk.outWidth} output, ${walk.steps.length} windows.`;
    steps.reset(walk.steps.length);
  }
  strideSelect.addEventListener('change', recompute);
  paddingToggle.addEventListener('change', recompute);
  recompute();

  return el(
    'div',
    { class: 'lesson', testId: 'lesson-convolution' },
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
      steps.element,
    ),
    formula,
    stepLabel,
    stage,
    verdict,
  );
}
