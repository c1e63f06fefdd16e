// Lesson 515_1: max pooling. 514_1's 4×4 convolution is pooled with a 2×2 window and stride 2:
// each window's largest value becomes one output value, giving the chapter's [[38, 27], [48, 49]].
// poolStage draws one pooling step; the multi-filter lesson (516_1) uses it for its second half.

import { el } from '../ui/dom.js';
import { matrixTable } from '../ui/matrix-table.js';
import { formatChannels, operator, sameValues, showVerdict } from './figure.js';
import {
  type PoolSettings,
  type PoolStep,
  type PoolWalkthrough,
  poolOutputSize,
  walkMaxPool,
} from './pool-steps.js';
import { stepper } from './stepper.js';
import { type Matrix, POOLING_INPUT } from './textbook-example.js';

const CHAPTER_POOL: PoolSettings = { size: 2, stride: 2 };

/** The rule with this pooling's numbers: ⌊(N − K) / S⌋ + 1, and the depth that stays. */
export function poolFormula(inputs: readonly Matrix[], settings: PoolSettings): string {
  const n = inputs[0]!.length;
  const out = poolOutputSize(n, settings.size, settings.stride);
  const depth = inputs.length;
  return (
    `Pooled size = ⌊(N − K) / S⌋ + 1 = ⌊(${n} − ${settings.size}) / ${settings.stride}⌋ + 1 = ${out}` +
    ` · pooling keeps the depth: ${depth} in, ${depth} out → ${out}×${out}×${depth}, ${out * out * depth} windows.`
  );
}

/** One pooling step: the input channel with its window, the window and its max, the output. */
export function poolStage(
  inputs: readonly Matrix[],
  walk: PoolWalkthrough,
  step: PoolStep,
  settings: PoolSettings,
  last: boolean,
): HTMLElement[] {
  const several = inputs.length > 1;
  const suffix = several ? `_${step.channel}` : '';
  const outputs = (last ? walk.result : step.partialOutput).map((matrix, channel) =>
    matrixTable(matrix, {
      caption: `max_pooled${several ? `_${channel}` : ''}${last ? ' (= maxPool2d)' : ''}`,
      ...(channel === step.channel ? { current: { row: step.row, col: step.col } } : {}),
      testId: `explainer-pooled-${channel}`,
    }),
  );
  return [
    matrixTable(inputs[step.channel]!, {
      caption: `convolution${suffix} (${inputs[0]!.length}×${inputs[0]![0]!.length})`,
      highlight: { top: step.top, left: step.left, height: settings.size, width: settings.size },
      testId: 'explainer-pool-input',
    }),
    operator('→'),
    matrixTable(step.window, {
      caption: `window(${step.row}, ${step.col})${several ? `, depth ${step.channel}` : ''}`,
      footer: `max = ${step.max}`,
    }),
    operator('max →'),
    ...outputs,
  ];
}

export function poolLesson(): HTMLElement {
  const inputs = [POOLING_INPUT];
  const walk = walkMaxPool(inputs, CHAPTER_POOL);
  const stepLabel = el('div', { class: 'step-label', testId: 'explainer-step' });
  const stage = el('div', { class: 'matrix-row' });
  const verdict = el('p', { class: 'verdict', testId: 'explainer-verdict' });
  const steps = stepper((index, last) => {
    const step = walk.steps[index]!;
    stepLabel.textContent = `Step ${index + 1} of ${walk.steps.length}: window(${step.row}, ${step.col})`;
    stage.replaceChildren(...poolStage(inputs, walk, step, CHAPTER_POOL, last));
    showVerdict(verdict, {
      last,
      agrees: sameValues(step.partialOutput, walk.result),
      hint: 'Each output value is the largest of its 2×2 window. Press Next to move the window by 2.',
      done: `Done. maxPool2d from @convoy/ops gives ${formatChannels(walk.result)}, the same as the steps.`,
      differs: `maxPool2d gives ${formatChannels(walk.result)}, but the steps gave ${JSON.stringify(step.partialOutput)}.`,
    });
  });
  steps.reset(walk.steps.length);

  return el(
    'div',
    { class: 'lesson', testId: 'lesson-pooling' },
    el('p', {
      class: 'lead',
      text:
        "Pooling is a special kind of filter: max pooling keeps the largest value of each window. The chapter's " +
        '515_1 pools the zero-padded convolution of 514_1 with a 2×2 window and stride 2, halving its width and height.',
    }),
    el('div', { class: 'controls' }, steps.element),
    el('p', {
      class: 'formula',
      testId: 'explainer-formula',
      text: poolFormula(inputs, CHAPTER_POOL),
    }),
    stepLabel,
    stage,
    verdict,
  );
}
