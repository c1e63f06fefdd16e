// Lessons 516_1, 518_1, 519_1, 5110_1 and 5111_1: images of several channels and several
// filters. Each step shows, for every input channel, the window on that channel, the filter's
// slice of the same depth and their products; the per-channel sums are added into one output
// value, and each filter fills its own output channel. The rules are shown with the numbers: a
// filter is as deep as the input, and there are as many output channels as filters. 516_1 goes
// on to max pool its two output channels, as the chapter's code does.

import { el } from '../ui/dom.js';
import { formatCell, matrixTable } from '../ui/matrix-table.js';
import { formatChannels, operator, sameValues, showVerdict } from './figure.js';
import { poolFormula, poolStage } from './pool-lesson.js';
import { type PoolSettings, type PoolWalkthrough, walkMaxPool } from './pool-steps.js';
import { stepper } from './stepper.js';
import type { FilterBank, Volume } from './textbook-example.js';
import { type VolumeStep, type VolumeWalkthrough, walkVolumeConvolution } from './volume-steps.js';

export interface VolumeLessonConfig {
  id: string;
  lead: string;
  image: Volume;
  bank: FilterBank;
  /** Zero padding on every side (the chapter's np.pad of 1, or none). */
  padding: number;
  /** Max pool the output afterwards, as 516_1 does. */
  pool?: PoolSettings;
}

const dims = (...sizes: number[]) => sizes.join('×');

function volumeFormula(walk: VolumeWalkthrough, padding: number): string {
  const { input, kernel, output } = walk;
  return (
    `Output size = ⌊(N + 2P − K) / S⌋ + 1 = ⌊(${input.height} + 2·${padding} − ${kernel.height}) / 1⌋ + 1 = ${output.height}` +
    ` · filter depth = input depth = ${input.channels}` +
    ` · output depth = number of filters = ${kernel.count}` +
    ` → ${dims(input.height, input.width, input.channels)} image, ` +
    `${dims(kernel.height, kernel.width, kernel.depth, kernel.count)} filters, ` +
    `${dims(output.height, output.width, output.channels)} output.`
  );
}

function convolutionStage(
  walk: VolumeWalkthrough,
  step: VolumeStep,
  padding: number,
  last: boolean,
): HTMLElement[] {
  const imageName = padding ? 'image_pad' : 'image';
  const channelRows = walk.paddedChannels.map((channel, c) =>
    el(
      'div',
      { class: 'matrix-row channel-row' },
      matrixTable(channel, {
        caption: `${imageName}[:, :, ${c}]`,
        highlight: {
          top: step.top,
          left: step.left,
          height: walk.kernel.height,
          width: walk.kernel.width,
        },
        padding,
        testId: `explainer-image-${c}`,
      }),
      operator('×'),
      matrixTable(walk.filterChannels[step.filter]![c]!, {
        caption: `filter[:, :, ${c}, ${step.filter}]`,
      }),
      operator('='),
      matrixTable(step.products[c]!, {
        caption: `window*filter, depth ${c}`,
        footer: `sum = ${formatCell(step.channelSums[c]!)}`,
      }),
    ),
  );
  const outputs = (last ? walk.result : step.partialOutput).map((matrix, f) =>
    matrixTable(matrix, {
      caption: `convolution[:, :, ${f}]${last ? ' (= conv2d)' : ''}`,
      ...(f === step.filter ? { current: { row: step.row, col: step.col } } : {}),
      testId: `explainer-output-${f}`,
    }),
  );
  const sumText =
    step.channelSums.length > 1
      ? `Σ over ${step.channelSums.length} depths: ${step.channelSums.map(formatCell).join(' + ')} = ${formatCell(step.sum)}`
      : `Σ = ${formatCell(step.sum)}`;
  return [
    ...channelRows,
    el(
      'div',
      { class: 'matrix-row' },
      el('div', { class: 'channel-sum', testId: 'explainer-channel-sum', text: sumText }),
      operator('→'),
      ...outputs,
    ),
  ];
}

export function volumeLesson(config: VolumeLessonConfig): HTMLElement {
  const settings = { stride: 1, padding: config.padding };
  const walk = walkVolumeConvolution(config.image, config.bank, settings);
  const pooled: PoolWalkthrough | undefined = config.pool
    ? walkMaxPool(walk.result, config.pool)
    : undefined;
  const convolutionSteps = walk.steps.length;
  const total = convolutionSteps + (pooled?.steps.length ?? 0);
  const stepLabel = el('div', { class: 'step-label', testId: 'explainer-step' });
  const stage = el('div', { class: 'volume-stage' });
  const verdict = el('p', { class: 'verdict', testId: 'explainer-verdict' });
  const formulas = [volumeFormula(walk, config.padding)];
  if (config.pool) formulas.push(poolFormula(walk.result, config.pool));

  const steps = stepper((index, last) => {
    if (index < convolutionSteps) {
      const step = walk.steps[index]!;
      const phaseDone = index === convolutionSteps - 1;
      stepLabel.textContent = `Step ${index + 1} of ${total}: filter ${step.filter}, window(${step.row}, ${step.col})`;
      stage.replaceChildren(...convolutionStage(walk, step, config.padding, phaseDone));
      const shape = dims(walk.output.height, walk.output.width, walk.output.channels);
      showVerdict(verdict, {
        last: phaseDone,
        agrees: sameValues(step.partialOutput, walk.result),
        hint: 'Each depth of the window meets the same depth of the filter; the sums of all depths make one output value.',
        done: `${last ? 'Done. ' : ''}conv2d from @convoy/ops gives the same ${shape} output: ${formatChannels(walk.result)}.${last ? '' : ' Next: max pooling.'}`,
        differs: `conv2d gives ${formatChannels(walk.result)}, but the steps gave ${JSON.stringify(step.partialOutput)}.`,
      });
      return;
    }
    const step = pooled!.steps[index - convolutionSteps]!;
    stepLabel.textContent = `Step ${index + 1} of ${total}: max pooling, depth ${step.channel}, window(${step.row}, ${step.col})`;
    stage.replaceChildren(
      el(
        'div',
        { class: 'matrix-row' },
        ...poolStage(walk.result, pooled!, step, config.pool!, last),
      ),
    );
    showVerdict(verdict, {
      last,
      agrees: sameValues(step.partialOutput, pooled!.result),
      hint: 'Each depth is pooled on its own: the depth stays, the width and height halve.',
      done: `Done. maxPool2d from @convoy/ops gives ${formatChannels(pooled!.result)}, the same as the steps.`,
      differs: `maxPool2d gives ${formatChannels(pooled!.result)}, but the steps gave ${JSON.stringify(step.partialOutput)}.`,
    });
  });
  steps.reset(total);

  return el(
    'div',
    { class: 'lesson', testId: `lesson-${config.id}` },
    el('p', { class: 'lead', text: config.lead }),
    el('div', { class: 'controls' }, steps.element),
    ...formulas.map((text, i) =>
      el('p', {
        class: 'formula',
        testId: i === 0 ? 'explainer-formula' : 'explainer-pool-formula',
        text,
      }),
    ),
    stepLabel,
    stage,
    verdict,
  );
}
