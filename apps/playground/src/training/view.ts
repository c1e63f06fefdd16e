// Live training: the textbook's model 3 learns Fashion-MNIST in a Web Worker while this page
// draws its loss and accuracy batch by batch and shows a few test images with their predicted
// class. The page only sends settings and draws what comes back, so it never blocks.

import { button, el, field, select } from '../ui/dom.js';
import { TrainingChart } from './chart.js';
import type { FromTrainingWorker, Prediction, TrainingSettings } from './protocol.js';

const DATA_URL = '/data/fashion-mnist/';

function stat(name: string, testId: string): { element: HTMLElement; value: HTMLElement } {
  const value = el('div', { class: 'value', testId, text: '–' });
  return {
    element: el('div', { class: 'stat' }, value, el('div', { class: 'name', text: name })),
    value,
  };
}

function predictionFigure(item: Prediction, classNames: readonly string[]): HTMLElement {
  const canvas = el('canvas', { attrs: { width: '28', height: '28' } });
  const context = canvas.getContext('2d');
  if (context) {
    const image = context.createImageData(28, 28);
    item.pixels.forEach((value, i) => {
      image.data[4 * i] = image.data[4 * i + 1] = image.data[4 * i + 2] = value;
      image.data[4 * i + 3] = 255;
    });
    context.putImageData(image, 0, 0);
  }
  const right = item.predicted === item.label;
  const name = (index: number) => classNames[index] ?? String(index);
  return el(
    'figure',
    { class: `prediction ${right ? 'right' : 'wrong'}` },
    canvas,
    el('figcaption', {
      text: `${name(item.predicted)} ${(100 * item.confidence).toFixed(0)}%${right ? '' : ` (is ${name(item.label)})`}`,
    }),
  );
}

export function trainingView(): HTMLElement {
  const cores = globalThis.navigator?.hardwareConcurrency || 1;
  const trainSelect = select(
    ['1000', '5000', '10000', '60000'].map((value) => ({
      value,
      label: Number(value).toLocaleString('en'),
    })),
    '10000',
    'training-samples',
  );
  const epochsSelect = select(
    ['1', '2', '3', '5'].map((value) => ({ value, label: value })),
    '2',
    'training-epochs',
  );
  const batchSelect = select(
    ['16', '32', '64', '128'].map((value) => ({ value, label: value })),
    '32',
    'training-batch',
  );
  const workerOptions = Array.from({ length: Math.max(1, cores) }, (_, i) => String(i + 1)).map(
    (value) => ({
      value,
      label: value === '1' ? '1 (inline)' : value,
    }),
  );
  const workersSelect = select(workerOptions, String(cores), 'training-workers');
  const startButton = button('Start training', 'training-start', 'primary');
  const stopButton = button('Stop', 'training-stop');
  stopButton.disabled = true;

  const status = el('p', { class: 'status', testId: 'training-status', text: 'Ready.' });
  const notice = el('div', { class: 'notice', testId: 'training-data-missing' });
  notice.hidden = true;
  const epochStat = stat('epoch', 'training-epoch');
  const batchStat = stat('batch', 'training-batch-number');
  const lossStat = stat('loss', 'training-loss');
  const accuracyStat = stat('accuracy', 'training-accuracy');
  const testStat = stat('test accuracy', 'training-test-accuracy');
  const speedStat = stat('ms / batch', 'training-speed');
  const chart = new TrainingChart();
  const predictionsTitle = el('h3', { text: 'Test images and what the model says' });
  const predictions = el('div', { class: 'predictions', testId: 'training-predictions' });
  const summary = el('pre', { class: 'summary' });

  let worker: Worker | undefined;
  let classNames: string[] = [];
  let stepsPerEpoch = 1;
  let recentMilliseconds: number[] = [];

  function finish(): void {
    worker?.terminate();
    worker = undefined;
    startButton.disabled = false;
    stopButton.disabled = true;
  }

  function handle(message: FromTrainingWorker): void {
    switch (message.type) {
      case 'status':
        status.textContent = message.text;
        break;
      case 'data-missing':
        notice.replaceChildren(
          el('strong', { text: 'Fashion-MNIST is not available. ' }),
          el('span', { text: message.message }),
          el(
            'div',
            {},
            'On Debian or Ubuntu: ',
            el('code', { text: 'sudo apt-get install dataset-fashion-mnist' }),
          ),
        );
        notice.hidden = false;
        status.textContent = 'No training data.';
        finish();
        break;
      case 'begin':
        classNames = message.classNames;
        stepsPerEpoch = message.stepsPerEpoch;
        chart.reset(message.stepsPerEpoch * message.epochs);
        summary.textContent = message.summary;
        status.textContent =
          `Training on ${message.samples.toLocaleString('en')} images, ${message.stepsPerEpoch} batches per epoch, ` +
          `${message.workers} worker thread${message.workers === 1 ? '' : 's'} for the convolutions` +
          (message.isolated
            ? '.'
            : ' (not cross-origin isolated: no shared memory, so one thread).');
        break;
      case 'batch': {
        epochStat.value.textContent = String(message.epoch + 1);
        batchStat.value.textContent = `${message.batch + 1} / ${stepsPerEpoch}`;
        lossStat.value.textContent = message.loss.toFixed(4);
        accuracyStat.value.textContent = `${(100 * message.accuracy).toFixed(1)}%`;
        recentMilliseconds = [...recentMilliseconds.slice(-19), message.milliseconds];
        const mean = recentMilliseconds.reduce((a, b) => a + b, 0) / recentMilliseconds.length;
        speedStat.value.textContent = mean.toFixed(1);
        chart.add({
          step: message.epoch * stepsPerEpoch + message.batch + 1,
          loss: message.loss,
          accuracy: message.accuracy,
        });
        break;
      }
      case 'epoch':
        testStat.value.textContent = `${(100 * message.testAccuracy).toFixed(1)}%`;
        status.textContent = `Epoch ${message.epoch + 1}: loss ${message.loss.toFixed(4)}, accuracy ${(100 * message.accuracy).toFixed(1)}%, test accuracy ${(100 * message.testAccuracy).toFixed(1)}%.`;
        break;
      case 'predictions':
        predictionsTitle.textContent =
          message.epoch < 0
            ? 'Test images before training (guessing)'
            : `Test images after epoch ${message.epoch + 1}`;
        predictions.replaceChildren(
          ...message.items.map((item) => predictionFigure(item, classNames)),
        );
        break;
      case 'done':
        status.textContent = `${status.textContent ?? ''} ${message.stopped ? 'Stopped' : 'Finished'} after ${message.seconds.toFixed(1)} s.`;
        status.dataset.done = 'true';
        finish();
        break;
      case 'error':
        status.textContent = `Training failed: ${message.message}`;
        finish();
        break;
    }
  }

  startButton.addEventListener('click', () => {
    if (worker) return;
    notice.hidden = true;
    delete status.dataset.done;
    recentMilliseconds = [];
    for (const s of [epochStat, batchStat, lossStat, accuracyStat, testStat, speedStat])
      s.value.textContent = '–';
    const settings: TrainingSettings = {
      trainSamples: Number(trainSelect.value),
      testSamples: 1000,
      epochs: Number(epochsSelect.value),
      batchSize: Number(batchSelect.value),
      workers: Number(workersSelect.value),
      seed: 1,
      dataUrl: DATA_URL,
    };
    worker = new Worker(new URL('./worker.ts', import.meta.url), {
      type: 'module',
      name: 'convoy-training',
    });
    worker.addEventListener('message', (event: MessageEvent<FromTrainingWorker>) =>
      handle(event.data),
    );
    worker.addEventListener('error', (event) => {
      handle({ type: 'error', message: event.message || 'the training worker crashed' });
    });
    worker.postMessage({ type: 'start', settings });
    startButton.disabled = true;
    stopButton.disabled = false;
    status.textContent = 'Starting the training worker…';
  });
  stopButton.addEventListener('click', () => {
    worker?.postMessage({ type: 'stop' });
    stopButton.disabled = true;
    status.textContent = 'Stopping after this batch…';
  });

  return el(
    'section',
    { class: 'view', testId: 'view-training' },
    el('h2', { text: 'Live training' }),
    el('p', {
      class: 'lead',
      text:
        "The textbook's model 3 — Conv2D(2, 3×3, relu, same) → MaxPooling2D(2×2) → Flatten → Dense(10, softmax) — " +
        'trained with Adam on Fashion-MNIST in a Web Worker. Its convolutions are sharded over a pool of worker threads.',
    }),
    el(
      'div',
      { class: 'controls' },
      field('Training images', trainSelect),
      field('Epochs', epochsSelect),
      field('Batch size', batchSelect),
      field('Worker threads', workersSelect),
      el('div', { class: 'button-group' }, startButton, stopButton),
    ),
    notice,
    status,
    el(
      'div',
      { class: 'stats' },
      epochStat.element,
      batchStat.element,
      lossStat.element,
      accuracyStat.element,
      testStat.element,
      speedStat.element,
    ),
    chart.canvas,
    el('p', {
      class: 'status',
      text: 'Loss and accuracy are running means over the current epoch, as Keras prints them, so they restart with each epoch.',
    }),
    predictionsTitle,
    predictions,
    el('details', {}, el('summary', { text: 'Model summary' }), summary),
  );
}
