// Train a CNN and look inside it: one of the textbook's three models learns Fashion-MNIST in a
// Web Worker (or a model is opened from TensorFlow.js files) while this page shows its progress,
// its first-layer filters, every layer's feature maps for a chosen image, the confusion matrix and
// the worst-classified test images, classifies the learner's own drawings and photos, and saves
// the model. The page only sends requests and draws what comes back, so it never blocks; the
// long-task monitor shows that it does not.

import { FASHION_MNIST_CLASSES } from '@convoy/data';
import { button, el } from '../ui/dom.js';
import { ConfusionMatrix } from './confusion-matrix.js';
import { FeatureMapsPanel } from './feature-maps.js';
import { FiltersPanel } from './filters-panel.js';
import { ImageGallery } from './image-gallery.js';
import { LongTaskMonitor } from './long-tasks.js';
import { ModelClient } from './model-client.js';
import { download, modelFiles, openModelFiles } from './model-files.js';
import { ProgressPanel } from './progress-panel.js';
import type { FromModelWorker, TestReport } from './protocol.js';
import { settingsForm } from './settings-form.js';
import { SketchPad } from './sketch-pad.js';
import { SubjectPanel } from './subject-panel.js';

const DATA_URL = '/data/fashion-mnist/';
const TEST_SAMPLES_FOR_OPENED_MODELS = 1000;
/** As many as testReport lists (its default). */
const WORST_IMAGES = 12;

export function trainingView(): HTMLElement {
  const settings = settingsForm();
  const startButton = button('Start training', 'training-start', 'primary');
  const stopButton = button('Stop', 'training-stop');
  const downloadButton = button('Download model', 'model-download');
  const openInput = el('input', {
    testId: 'model-open',
    attrs: {
      type: 'file',
      multiple: '',
      accept: '.json,.bin,application/json,application/octet-stream',
    },
  });
  const openZone = el(
    'label',
    { class: 'drop-zone' },
    'Open a model: choose or drop its model.json together with its .bin file (from this page or from convoy-train --out) ',
    openInput,
  );
  const downloadLinks = el('p', { class: 'status', testId: 'download-links' });
  const status = el('p', { class: 'status', testId: 'training-status', text: 'Ready.' });
  const notice = el('div', { class: 'notice', testId: 'training-data-missing' });
  const modelLine = el('p', { class: 'model-line', testId: 'model-info' });
  const summary = el('pre', { class: 'summary', testId: 'model-summary' });
  const monitor = new LongTaskMonitor();
  const progress = new ProgressPanel();
  const filters = new FiltersPanel();
  const featureMaps = new FeatureMapsPanel();
  let classNames: string[] = [...FASHION_MNIST_CLASSES];
  const confusion = new ConfusionMatrix(classNames);
  const reportTitle = el('h3', { text: 'The test set' });
  const noneWrong = el('p', {
    class: 'status',
    text: 'None: every test image is classified right.',
  });
  notice.hidden = true;
  noneWrong.hidden = true;
  stopButton.disabled = true;
  downloadButton.disabled = true;

  let training = false;
  let hasModel = false;

  const client = new ModelClient(handle);
  const subject = new SubjectPanel(
    (chosen) => client.send({ type: 'look', subject: chosen }),
    classNames,
  );
  const sketch = new SketchPad((pixels) =>
    client.send({ type: 'look', subject: { kind: 'drawing', pixels } }),
  );
  const pickTestImage = (index: number) => subject.chooseTest(index);
  const examples = new ImageGallery('training-predictions', pickTestImage, { capacity: 10 });
  const worst = new ImageGallery('worst-images', pickTestImage, {
    capacity: WORST_IMAGES,
    showTruthProbability: true,
  });
  const reportSection = el(
    'div',
    { class: 'panel-section' },
    reportTitle,
    el('h4', { text: 'One test image of each class and what the model says' }),
    examples.element,
    el(
      'div',
      { class: 'report-row' },
      el('div', {}, el('h4', { text: 'Confusion matrix' }), confusion.element),
      el(
        'div',
        {},
        el('h4', {
          text: 'The test images it gets most wrong (lowest probability for the true class)',
        }),
        worst.element,
        noneWrong,
      ),
    ),
  );

  function setBusy(busy: boolean): void {
    training = busy;
    startButton.disabled = busy;
    stopButton.disabled = !busy;
    settings.setEnabled(!busy);
    openInput.disabled = busy;
    downloadButton.disabled = busy || !hasModel;
  }

  function showReport(report: TestReport): void {
    reportTitle.textContent = `The test set (${report.moment})`;
    examples.update(report.examples, classNames);
    confusion.update(report, classNames);
    worst.update(report.worst, classNames);
    noneWrong.hidden = report.worst.length > 0;
  }

  function handle(message: FromModelWorker): void {
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
        status.textContent = training
          ? 'No training data.'
          : 'No test images: draw or drop a picture to classify.';
        if (training) {
          monitor.stop();
          setBusy(false);
        }
        break;
      case 'model':
        hasModel = true;
        classNames = message.info.classNames.length > 0 ? message.info.classNames : classNames;
        modelLine.textContent = `${message.info.origin === 'opened' ? 'Opened' : 'Training'}: ${message.info.name}, ${message.info.params.toLocaleString('en')} parameters.`;
        summary.textContent = message.info.summary;
        downloadButton.disabled = training;
        break;
      case 'begin':
        progress.begin(message);
        status.textContent =
          `Training model ${message.model} on ${message.samples.toLocaleString('en')} images, ${message.stepsPerEpoch} batches per epoch, ` +
          `fit on ${message.workers} thread${message.workers === 1 ? '' : 's'}` +
          (message.isolated
            ? '.'
            : ' (not cross-origin isolated: no shared memory, so one thread).');
        break;
      case 'batches':
        progress.addBatches(message.items);
        break;
      case 'epoch':
        progress.setTestAccuracy(message.testAccuracy);
        status.textContent = `Epoch ${message.epoch + 1}: loss ${message.loss.toFixed(4)}, accuracy ${(100 * message.accuracy).toFixed(1)}%, test accuracy ${(100 * message.testAccuracy).toFixed(1)}%.`;
        break;
      case 'inspection':
        subject.show(message.inspection, classNames);
        filters.show(message.inspection.filters, message.inspection.moment);
        featureMaps.show(message.inspection);
        break;
      case 'report':
        showReport(message.report);
        break;
      case 'exported': {
        // The previous download's files are let go: a model's weights can be megabytes.
        for (const link of downloadLinks.querySelectorAll('a')) URL.revokeObjectURL(link.href);
        const links = download(modelFiles(message.modelJson, message.weights));
        downloadLinks.replaceChildren(
          'Saved ',
          ...links.flatMap((link, i) => (i ? [' and ', link] : [link])),
          '.',
        );
        break;
      }
      case 'done':
        status.textContent = `${status.textContent ?? ''} ${message.stopped ? 'Stopped' : 'Finished'} after ${message.seconds.toFixed(1)} s.`;
        status.dataset.done = 'true';
        progress.end();
        monitor.stop();
        setBusy(false);
        break;
      case 'error':
        status.textContent = `Failed: ${message.message}`;
        status.dataset.failed = 'true';
        if (training) {
          progress.end();
          monitor.stop();
          setBusy(false);
        }
        break;
    }
  }

  startButton.addEventListener('click', () => {
    if (training) return;
    let chosen: ReturnType<typeof settings.read>;
    try {
      chosen = settings.read();
    } catch (error) {
      status.textContent = (error as Error).message;
      return;
    }
    notice.hidden = true;
    delete status.dataset.done;
    delete status.dataset.failed;
    setBusy(true);
    monitor.start();
    client.send({ type: 'train', settings: { ...chosen, seed: 1, dataUrl: DATA_URL } });
    status.textContent = 'Starting the model worker…';
  });
  stopButton.addEventListener('click', () => {
    client.send({ type: 'stop' });
    stopButton.disabled = true;
    status.textContent = 'Stopping after this batch…';
  });
  downloadButton.addEventListener('click', () => client.send({ type: 'export' }));

  async function open(files: readonly File[]): Promise<void> {
    if (training || files.length === 0) return;
    try {
      const opened = await openModelFiles(files);
      notice.hidden = true;
      delete status.dataset.done;
      delete status.dataset.failed;
      status.textContent = `Opening ${opened.name}…`;
      client.send(
        {
          type: 'open',
          name: opened.name,
          modelJson: opened.modelJson,
          weights: opened.weights,
          dataUrl: DATA_URL,
          testSamples: TEST_SAMPLES_FOR_OPENED_MODELS,
        },
        [opened.weights],
      );
    } catch (error) {
      status.textContent = (error as Error).message;
    }
  }
  openInput.addEventListener('change', () => {
    void open([...(openInput.files ?? [])]);
    openInput.value = '';
  });
  openZone.addEventListener('dragover', (event) => {
    event.preventDefault();
    openZone.classList.add('over');
  });
  openZone.addEventListener('dragleave', () => openZone.classList.remove('over'));
  openZone.addEventListener('drop', (event) => {
    event.preventDefault();
    openZone.classList.remove('over');
    void open([...(event.dataTransfer?.files ?? [])]);
  });

  return el(
    'section',
    { class: 'view', testId: 'view-training' },
    el('h2', { text: 'Train a CNN and look inside it' }),
    el('p', {
      class: 'lead',
      text:
        "The textbook's three Fashion-MNIST models (521_1, 522_1, 523_1), trained in a Web Worker with model.fit. " +
        'While they learn: the first layer’s filters, every layer’s feature maps for an image you choose, the confusion ' +
        'matrix, the test images the model gets most wrong — and your own drawings classified.',
    }),
    settings.element,
    el(
      'div',
      { class: 'controls' },
      el('div', { class: 'button-group' }, startButton, stopButton, downloadButton),
    ),
    openZone,
    downloadLinks,
    notice,
    status,
    monitor.element,
    modelLine,
    el('details', {}, el('summary', { text: 'Model summary' }), summary),
    progress.element,
    el('div', { class: 'inspect-row' }, subject.element, sketch.element),
    filters.element,
    featureMaps.element,
    reportSection,
  );
}
