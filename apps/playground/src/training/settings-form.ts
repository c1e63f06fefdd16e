// The training settings a learner chooses: which of the textbook's three models, how many
// training images, epochs, batch size, optimizer and learning rate, threads, and test images.
// Model 1 is 400 times bigger than model 3, so choosing it also picks a small subset: the time
// per batch shown while it trains says why.

import { el, field, select } from '../ui/dom.js';
import type { OptimizerName, TextbookModelNumber, TrainingSettings } from './protocol.js';

export const MODEL_DESCRIPTIONS: Record<TextbookModelNumber, string> = {
  1: 'Model 1 · Conv2D 32 → Conv2D 64 → MaxPool → Dense 128 → Dense 10 · 1,625,866 parameters',
  2: 'Model 2 · Conv2D 32 → MaxPool → Dense 10 · 63,050 parameters',
  3: 'Model 3 · Conv2D 2 → MaxPool → Dense 10 · 3,950 parameters',
};

/** Training images each model starts with: all of them would keep model 1 busy for minutes. */
const DEFAULT_SAMPLES: Record<TextbookModelNumber, string> = { 1: '2000', 2: '10000', 3: '10000' };

/** Keras's default learning rates, which the textbook uses. */
export const DEFAULT_LEARNING_RATES: Record<OptimizerName, number> = {
  adam: 0.001,
  sgd: 0.01,
  rmsprop: 0.001,
};

const numberOptions = (values: readonly number[]) =>
  values.map((value) => ({ value: String(value), label: value.toLocaleString('en') }));

export interface SettingsForm {
  element: HTMLElement;
  /** The chosen settings (the view adds the seed and the data URL). */
  read(): Omit<TrainingSettings, 'seed' | 'dataUrl'>;
  setEnabled(enabled: boolean): void;
}

export function settingsForm(): SettingsForm {
  const cores = globalThis.navigator?.hardwareConcurrency || 1;
  const modelSelect = select(
    ([3, 2, 1] as const).map((n) => ({ value: String(n), label: MODEL_DESCRIPTIONS[n] })),
    '3',
    'training-model',
  );
  const samplesSelect = select(
    numberOptions([1000, 2000, 5000, 10000, 60000]),
    DEFAULT_SAMPLES[3],
    'training-samples',
  );
  const epochsSelect = select(numberOptions([1, 2, 3, 5]), '2', 'training-epochs');
  const batchSelect = select(numberOptions([16, 32, 64, 128]), '32', 'training-batch');
  const optimizerSelect = select<OptimizerName>(
    [
      { value: 'adam', label: 'Adam' },
      { value: 'sgd', label: 'SGD' },
      { value: 'rmsprop', label: 'RMSprop' },
    ],
    'adam',
    'training-optimizer',
  );
  const learningRateInput = el('input', {
    testId: 'training-learning-rate',
    attrs: { type: 'number', min: '0.00001', max: '1', step: 'any', value: '0.001' },
  });
  const workersSelect = select(
    Array.from({ length: Math.max(1, cores) }, (_, i) => ({
      value: String(i + 1),
      label: i === 0 ? '1 (in the model worker)' : String(i + 1),
    })),
    // One core is left to the page by default, so drawing never waits for a busy core.
    String(Math.max(1, cores - 1)),
    'training-workers',
  );
  const testSelect = select(numberOptions([1000, 10000]), '1000', 'training-test-samples');
  const note = el('p', { class: 'status', testId: 'training-model-note' });

  const describeChoice = () => {
    note.textContent =
      modelSelect.value === '1'
        ? 'Model 1 has 1.6 million parameters, 400 times model 3’s: each batch takes tens of times as long, so it starts ' +
          'on 2,000 images. Watch the time per batch below, and try 60,000 when you have minutes to spare.'
        : 'The model trains in a Web Worker; the page stays free to look inside it while it learns.';
  };
  modelSelect.addEventListener('change', () => {
    samplesSelect.value = DEFAULT_SAMPLES[Number(modelSelect.value) as TextbookModelNumber];
    describeChoice();
  });
  optimizerSelect.addEventListener('change', () => {
    learningRateInput.value = String(
      DEFAULT_LEARNING_RATES[optimizerSelect.value as OptimizerName],
    );
  });
  describeChoice();

  const controls = [
    modelSelect,
    samplesSelect,
    epochsSelect,
    batchSelect,
    optimizerSelect,
    learningRateInput,
    workersSelect,
    testSelect,
  ];
  return {
    element: el(
      'div',
      {},
      el(
        'div',
        { class: 'controls' },
        field('Textbook model', modelSelect),
        field('Training images', samplesSelect),
        field('Epochs', epochsSelect),
        field('Batch size', batchSelect),
        field('Optimizer', optimizerSelect),
        field('Learning rate', learningRateInput),
        field('Threads for fit', workersSelect),
        field('Test images', testSelect),
      ),
      note,
    ),
    read() {
      const learningRate = Number(learningRateInput.value);
      if (!(learningRate > 0 && learningRate <= 1)) {
        throw new RangeError(
          `the learning rate must be a number above 0 and at most 1, got "${learningRateInput.value}"`,
        );
      }
      return {
        model: Number(modelSelect.value) as TextbookModelNumber,
        trainSamples: Number(samplesSelect.value),
        testSamples: Number(testSelect.value),
        epochs: Number(epochsSelect.value),
        batchSize: Number(batchSelect.value),
        optimizer: optimizerSelect.value as OptimizerName,
        learningRate,
        workers: Number(workersSelect.value),
      };
    },
    setEnabled(enabled: boolean) {
      for (const control of controls) control.disabled = !enabled;
    },
  };
}
