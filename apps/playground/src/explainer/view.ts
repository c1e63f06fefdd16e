// The convolution explainer: the chapter's numeric examples as lessons stepped window by window —
// one filter with stride and padding (513_1 / 514_1), max pooling (515_1), several filters making
// several output channels (516_1), and input channels summed (518_1, 519_1, 5110_1, 5111_1).
// Only the chosen lesson is built, so its controls are the only ones on the page.

import { el, field, select } from '../ui/dom.js';
import { convLesson } from './conv-lesson.js';
import { poolLesson } from './pool-lesson.js';
import {
  ONE_FILTER_TWO_CHANNELS_BANK,
  PADDED_TWO_CHANNELS_BANK,
  PADDED_TWO_CHANNELS_IMAGE,
  THREE_CHANNELS_BANK,
  THREE_CHANNELS_IMAGE,
  TWO_CHANNELS_BANK,
  TWO_CHANNELS_IMAGE,
  TWO_FILTERS_BANK,
  TWO_FILTERS_IMAGE,
} from './textbook-example.js';
import { volumeLesson } from './volume-lesson.js';

interface Lesson {
  id: string;
  label: string;
  build: () => HTMLElement;
}

export const LESSONS: readonly Lesson[] = [
  { id: 'convolution', label: '513_1 / 514_1 · one filter, stride and padding', build: convLesson },
  { id: 'pooling', label: '515_1 · max pooling', build: poolLesson },
  {
    id: 'filters',
    label: '516_1 · two filters → two output channels',
    build: () =>
      volumeLesson({
        id: 'filters',
        lead:
          'Two 3×3 filters slide over the same zero-padded 4×4 image. Each filter extracts one feature, so two ' +
          'filters give two output images, stacked into one 4×4×2 output: the number of filters is the output depth. ' +
          'Then each depth is max pooled 2×2, as the chapter does.',
        image: TWO_FILTERS_IMAGE,
        bank: TWO_FILTERS_BANK,
        padding: 1,
        pool: { size: 2, stride: 2 },
      }),
  },
  {
    id: 'channels',
    label: '518_1 · a 3×3×2 input: depths summed → 64',
    build: () =>
      volumeLesson({
        id: 'channels',
        lead:
          'A 3×3×2 image is two 3×3 layers stacked (its depth, or channels). The filter must be as deep as the image: ' +
          '3×3×2. Each depth is multiplied with its own filter depth, the nine products of each are summed, and the sums of ' +
          'both depths are added into one value.',
        image: TWO_CHANNELS_IMAGE,
        bank: TWO_CHANNELS_BANK,
        padding: 0,
      }),
  },
  {
    id: 'padded-channels',
    label: '519_1 · a 6×6×2 padded input, one filter → 4×4×1',
    build: () =>
      volumeLesson({
        id: 'padded-channels',
        lead:
          'A 4×4×2 image, zero padded to 6×6×2, and one 3×3×2 filter. Whatever the depth of the input, one filter ' +
          'gives one output image: 4×4×1.',
        image: PADDED_TWO_CHANNELS_IMAGE,
        bank: ONE_FILTER_TWO_CHANNELS_BANK,
        padding: 1,
      }),
  },
  {
    id: 'channels-filters',
    label: '5110_1 · a 6×6×2 input, two filters → 4×4×2',
    build: () =>
      volumeLesson({
        id: 'channels-filters',
        lead:
          'The same 4×4×2 image, zero padded, and two 3×3×2 filters (a 3×3×2×2 filter bank): each filter is as deep as ' +
          'the input, and each makes one output depth, so the output is 4×4×2.',
        image: PADDED_TWO_CHANNELS_IMAGE,
        bank: PADDED_TWO_CHANNELS_BANK,
        padding: 1,
      }),
  },
  {
    id: 'three-channels',
    label: '5111_1 · a 6×6×3 input, two filters → 4×4×2',
    build: () =>
      volumeLesson({
        id: 'three-channels',
        lead:
          'A 4×4×3 image (three depths, like red, green and blue), zero padded, and two 3×3×3 filters. The depth of ' +
          'the input sets the depth of the filters; the number of filters sets the depth of the output.',
        image: THREE_CHANNELS_IMAGE,
        bank: THREE_CHANNELS_BANK,
        padding: 1,
      }),
  },
];

export function explainerView(): HTMLElement {
  const lessonSelect = select(
    LESSONS.map((lesson) => ({ value: lesson.id, label: lesson.label })),
    LESSONS[0]!.id,
    'explainer-lesson',
  );
  const slot = el('div');
  const show = () => {
    const lesson = LESSONS.find((candidate) => candidate.id === lessonSelect.value) ?? LESSONS[0]!;
    slot.replaceChildren(lesson.build());
  };
  lessonSelect.addEventListener('change', show);
  show();

  return el(
    'section',
    { class: 'view', testId: 'view-explainer' },
    el('h2', { text: 'Convolution, step by step' }),
    el('div', { class: 'controls' }, field("The chapter's example", lessonSelect)),
    slot,
  );
}
