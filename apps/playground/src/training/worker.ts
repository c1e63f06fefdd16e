// The training worker: loads Fashion-MNIST by URL, builds the textbook's model 3 and trains it,
// posting progress after every batch. It runs off the page's thread so the page stays
// responsive; the convolutions are further sharded over @convoy/ops' worker pool (nested Web
// Workers sharing memory), which needs the page to be cross-origin isolated.

import {
  FASHION_MNIST_FILES,
  type FashionMnist,
  loadFashionMnistFromUrl,
  subset,
  toImageTensor,
  toLabelTensor,
} from '@convoy/data';
import { textbookModel } from '@convoy/layers';
import { createPool, type Executor, inlineExecutor } from '@convoy/ops';
import type { Tensor } from '@convoy/tensor';
import type {
  FromTrainingWorker,
  Prediction,
  ToTrainingWorker,
  TrainingSettings,
} from './protocol.js';

const post = (message: FromTrainingWorker) => self.postMessage(message);

let stopRequested = false;

/** Lets queued messages (a Stop) in between batches: awaiting a resolved promise would not. */
function yieldToEvents(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(undefined);
  });
}

/** When a file is missing, the dev server's answer says how to get it; null when all are there. */
async function missingDataMessage(baseUrl: string): Promise<string | null> {
  for (const file of FASHION_MNIST_FILES) {
    const url = `${baseUrl}${file.fileName}`;
    const head = await fetch(url, { method: 'HEAD' });
    if (head.ok) continue;
    const response = await fetch(url);
    const text = response.headers.get('content-type')?.startsWith('text/plain')
      ? await response.text()
      : '';
    return text || `${url} answered ${response.status} ${response.statusText}.`;
  }
  return null;
}

async function loadData(settings: TrainingSettings): Promise<FashionMnist | null> {
  post({ type: 'status', text: 'Looking for Fashion-MNIST…' });
  const missing = await missingDataMessage(settings.dataUrl);
  if (missing) {
    post({ type: 'data-missing', message: missing });
    return null;
  }
  const received = new Map<string, [number, number]>();
  return loadFashionMnistFromUrl({
    baseUrl: settings.dataUrl,
    onProgress: (progress) => {
      received.set(progress.fileName, [
        progress.receivedBytes,
        progress.totalBytes ?? progress.receivedBytes,
      ]);
      const [got, total] = [...received.values()].reduce(
        ([a, b], [c, d]) => [a + c, b + d],
        [0, 0],
      );
      post({
        type: 'status',
        text: `Loading Fashion-MNIST: ${(got / 1e6).toFixed(1)} of ${(total / 1e6).toFixed(1)} MB…`,
      });
    },
  });
}

/** The first test image of each class, so the predictions show all ten classes. */
function onePerClass(labels: Uint8Array, classes: number): number[] {
  const chosen: number[] = [];
  for (let c = 0; c < classes; c++) {
    const index = labels.indexOf(c);
    if (index >= 0) chosen.push(index);
  }
  return chosen;
}

async function predictions(
  model: ReturnType<typeof textbookModel>,
  data: FashionMnist,
  indices: number[],
  executor: Executor,
): Promise<Prediction[]> {
  const chosen = subset(data.test, indices);
  const probabilities = await model.predict(toImageTensor(chosen.images), { executor });
  const classes = probabilities.shape[1]!;
  return indices.map((_, row) => {
    const scores = probabilities.data.subarray(row * classes, (row + 1) * classes);
    let predicted = 0;
    for (let c = 1; c < classes; c++) if (scores[c]! > scores[predicted]!) predicted = c;
    return {
      pixels: chosen.images.data.slice(row * 784, (row + 1) * 784),
      label: chosen.labels.data[row]!,
      predicted,
      confidence: scores[predicted]!,
    };
  });
}

async function train(settings: TrainingSettings): Promise<void> {
  const started = performance.now();
  const data = await loadData(settings);
  if (!data) return;
  const isolated = globalThis.crossOriginIsolated === true;
  const train = subset(data.train, settings.trainSamples);
  const test = subset(data.test, settings.testSamples);
  const x = toImageTensor(train.images, { shared: isolated });
  const y = toLabelTensor(train.labels);
  const testX = toImageTensor(test.images, { shared: isolated });
  const testY: Tensor = toLabelTensor(test.labels);
  const executor =
    settings.workers > 1 ? createPool({ workers: settings.workers }) : inlineExecutor();
  try {
    const model = textbookModel(3, { seed: settings.seed });
    const summaryLines: string[] = [];
    model.summary({ printFn: (line) => summaryLines.push(line) });
    const shown = onePerClass(data.test.labels.data, data.classNames.length);
    const stepsPerEpoch = Math.ceil(settings.trainSamples / settings.batchSize);
    post({
      type: 'begin',
      stepsPerEpoch,
      epochs: settings.epochs,
      samples: settings.trainSamples,
      workers: isolated ? executor.workers : 1,
      isolated,
      summary: summaryLines.join('\n'),
      classNames: [...data.classNames],
    });
    post({
      type: 'predictions',
      epoch: -1,
      items: await predictions(model, data, shown, executor),
    });
    let batchStarted = performance.now();
    await model.fit(x, y, {
      epochs: settings.epochs,
      batchSize: settings.batchSize,
      shuffle: true,
      executor,
      callbacks: {
        onBatchBegin: () => {
          batchStarted = performance.now();
        },
        onBatchEnd: async (batch, logs) => {
          post({
            type: 'batch',
            epoch: logs.epoch,
            batch,
            loss: logs.loss,
            accuracy: logs.accuracy ?? Number.NaN,
            milliseconds: performance.now() - batchStarted,
          });
          await yieldToEvents();
          return stopRequested ? 'stop' : undefined;
        },
        onEpochEnd: async (epoch, logs) => {
          const result = await model.evaluate(testX, testY, { executor, batchSize: 256 });
          post({
            type: 'epoch',
            epoch,
            loss: logs.loss ?? Number.NaN,
            accuracy: logs.accuracy ?? Number.NaN,
            testLoss: result.loss ?? Number.NaN,
            testAccuracy: result.accuracy ?? Number.NaN,
          });
          post({
            type: 'predictions',
            epoch,
            items: await predictions(model, data, shown, executor),
          });
        },
      },
    });
  } finally {
    await executor.close();
  }
  post({ type: 'done', stopped: stopRequested, seconds: (performance.now() - started) / 1000 });
}

self.addEventListener('message', (event: MessageEvent<ToTrainingWorker>) => {
  const message = event.data;
  if (message.type === 'stop') {
    stopRequested = true;
    return;
  }
  stopRequested = false;
  train(message.settings).catch((error: unknown) => {
    post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  });
});
