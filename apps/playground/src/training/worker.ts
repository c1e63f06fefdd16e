// The model worker: it owns the playground's model — a textbook model it trains, or a model
// opened from TensorFlow.js files — and answers the page's requests about it: train, stop, look
// at an image (every layer's output), export the files. It runs off the page's thread so the page
// stays responsive; while training, requests wait for the moment between two batches.

import { type FashionMnist, subset, toImageTensor, toLabelTensor } from '@convoy/data';
import { loadModel, type Sequential, textbookModel } from '@convoy/layers';
import { inspect, reportOnTestSet } from './inspect.js';
import type {
  FromModelWorker,
  ModelInfo,
  Subject,
  TestReport,
  ToModelWorker,
  TrainingSettings,
} from './protocol.js';
import { train } from './train.js';
import { loadData } from './worker-data.js';

/** Feature maps are refreshed this often while training (each costs one image's forward pass). */
const LOOK_INTERVAL_MS = 250;

const post = (message: FromModelWorker, transfer: Transferable[] = []) =>
  self.postMessage(message, { transfer });

let model: Sequential | undefined;
let data: FashionMnist | null = null;
let subject: Subject = { kind: 'test', index: 0 };
let testSamples = 1000;
let training = false;
let stopRequested = false;
let lookRequested = false;
let lastLook = 0;
/** When the current weights are from, as the panels say it: 'epoch 1, batch 20', 'opened model'. */
let weightsMoment = '';

function modelInfo(which: Sequential, info: Omit<ModelInfo, 'summary' | 'params'>): ModelInfo {
  return { ...info, summary: which.summary({ printFn: () => {} }), params: which.countParams() };
}

async function look(moment = weightsMoment): Promise<void> {
  weightsMoment = moment;
  lookRequested = false;
  lastLook = performance.now();
  if (!model || (subject.kind === 'test' && !data)) return;
  post({ type: 'inspection', inspection: await inspect(model, subject, data, moment) });
}

async function report(moment: string): Promise<TestReport | undefined> {
  if (!model || !data) return undefined;
  const result = await reportOnTestSet(model, data, testSamples, moment);
  post({ type: 'report', report: result });
  return result;
}

async function startTraining(settings: TrainingSettings): Promise<void> {
  const started = performance.now();
  data = await loadData(settings.dataUrl, post);
  if (!data) return;
  testSamples = settings.testSamples;
  const isolated = globalThis.crossOriginIsolated === true;
  // Without cross-origin isolation there is no shared memory for worker threads to train on.
  const workers = isolated ? settings.workers : 1;
  const trainSplit = subset(data.train, settings.trainSamples);
  const x = toImageTensor(trainSplit.images, { shared: isolated });
  const y = toLabelTensor(trainSplit.labels);
  model = textbookModel(settings.model, {
    seed: settings.seed,
    optimizer: { class_name: settings.optimizer, config: { learning_rate: settings.learningRate } },
  });
  const trained = model;
  post({
    type: 'model',
    info: modelInfo(trained, {
      origin: 'trained',
      name: `Textbook model ${settings.model}`,
      classNames: [...data.classNames],
    }),
  });
  post({ type: 'status', text: 'Measuring the untrained model on the test images…' });
  await look('before training');
  await report('before training');
  post({
    type: 'begin',
    model: settings.model,
    stepsPerEpoch: Math.ceil(settings.trainSamples / settings.batchSize),
    epochs: settings.epochs,
    samples: settings.trainSamples,
    batchSize: settings.batchSize,
    workers,
    isolated,
  });
  // Whether the weights changed since the last epoch's report (a Stop inside an epoch).
  let stepsSinceReport = false;
  await train(
    trained,
    x,
    y,
    { ...settings, workers },
    {
      post,
      shouldStop: () => stopRequested,
      betweenBatches: async (epoch, batch) => {
        stepsSinceReport = true;
        if (lookRequested || performance.now() - lastLook >= LOOK_INTERVAL_MS) {
          await look(`epoch ${epoch + 1}, batch ${batch + 1}`);
        }
      },
      afterEpoch: async (epoch, logs) => {
        stepsSinceReport = false;
        // fit ends the epoch it was stopped in, as Keras does.
        const moment = stopRequested
          ? `when stopped in epoch ${epoch + 1}`
          : `after epoch ${epoch + 1}`;
        await look(moment);
        const test = await report(moment);
        post({
          type: 'epoch',
          epoch,
          loss: logs.loss ?? Number.NaN,
          accuracy: logs.accuracy ?? Number.NaN,
          testLoss: test?.loss ?? Number.NaN,
          testAccuracy: test?.accuracy ?? Number.NaN,
        });
      },
    },
  );
  // Stopped inside an epoch: show the weights it stopped with.
  if (stepsSinceReport) {
    await look('when stopped');
    await report('when stopped');
  }
  weightsMoment = stopRequested ? 'when stopped' : 'after training';
  post({ type: 'done', stopped: stopRequested, seconds: (performance.now() - started) / 1000 });
}

async function open(message: Extract<ToModelWorker, { type: 'open' }>): Promise<void> {
  const opened = await loadModel({ modelJson: message.modelJson, weights: message.weights });
  model = opened;
  testSamples = message.testSamples;
  data = await loadData(message.dataUrl, post);
  post({
    type: 'model',
    info: modelInfo(opened, {
      origin: 'opened',
      name: message.name,
      classNames: data ? [...data.classNames] : [],
    }),
  });
  await look('opened model');
  await report('opened model');
  post({ type: 'status', text: `Opened ${message.name}.` });
}

function exportModel(): void {
  if (!model) throw new Error('there is no model to download yet: train one or open one');
  const { modelJson, weights } = model.toArtifacts();
  const bytes = weights.slice();
  post({ type: 'exported', modelJson, weights: bytes.buffer }, [bytes.buffer]);
}

async function handle(message: ToModelWorker): Promise<void> {
  switch (message.type) {
    case 'stop':
      stopRequested = true;
      return;
    case 'look':
      subject = message.subject;
      // While training, the look happens between two batches, when the weights are settled.
      if (training) lookRequested = true;
      else await look();
      return;
    case 'export':
      exportModel();
      return;
    case 'open':
      if (training) throw new Error('a training run is still going: stop it first');
      await open(message);
      return;
    case 'train':
      if (training) throw new Error('a training run is still going: stop it first');
      training = true;
      stopRequested = false;
      try {
        await startTraining(message.settings);
      } finally {
        training = false;
      }
      return;
  }
}

self.addEventListener('message', (event: MessageEvent<ToModelWorker>) => {
  handle(event.data).catch((error: unknown) => {
    post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  });
});
