// The messages between the training view (page) and the model worker. The worker owns the
// model — trained here or opened from files — and does every computation on it; the page only
// sends requests and draws what comes back, so it never blocks. Only plain data crosses: numbers,
// strings, typed arrays (feature maps, 28×28 images) and the TensorFlow.js model files.

import type { ModelJson } from '@convoy/layers';

export type TextbookModelNumber = 1 | 2 | 3;
export type OptimizerName = 'adam' | 'sgd' | 'rmsprop';

export interface TrainingSettings {
  /** The textbook's model 1, 2 or 3 (521_1, 522_1, 523_1). */
  model: TextbookModelNumber;
  /** Training images taken from the start of the 60,000 (then shuffled every epoch). */
  trainSamples: number;
  /** Test images for the accuracy, the confusion matrix and the worst-classified images. */
  testSamples: number;
  epochs: number;
  batchSize: number;
  optimizer: OptimizerName;
  learningRate: number;
  /** Threads for fit: 1 trains inside the model worker, more hand fit that many workers. */
  workers: number;
  seed: number;
  /** Where the four .gz files are served, e.g. '/data/fashion-mnist/'. */
  dataUrl: string;
}

/** The image the network is looked at with: a test image, or one the learner drew or dropped. */
export type Subject = { kind: 'test'; index: number } | { kind: 'drawing'; pixels: Uint8Array };

export type ToModelWorker =
  | { type: 'train'; settings: TrainingSettings }
  | { type: 'stop' }
  | {
      type: 'open';
      /** What the learner opened, for the status line. */
      name: string;
      modelJson: ModelJson;
      weights: ArrayBuffer;
      dataUrl: string;
      testSamples: number;
    }
  | { type: 'look'; subject: Subject }
  | { type: 'export' };

/** One layer's output for the subject, without the batch axis. */
export interface LayerMaps {
  name: string;
  className: string;
  /** [height, width, channels] for images, [units] for vectors. */
  shape: number[];
  values: Float32Array;
}

export interface Inspection {
  subject: Subject;
  /** The 784 bytes the model was given, row by row. */
  pixels: Uint8Array;
  /** The true class of a test image. */
  label?: number;
  layers: LayerMaps[];
  /** The last layer's output: one probability per class. */
  probabilities: number[];
  /** The first Conv2D layer's kernel, [kernelHeight, kernelWidth, inChannels, filters]. */
  filters?: { layer: string; shape: number[]; values: Float32Array };
  /** When these weights are from: 'before training', 'epoch 1, batch 20', 'opened model'. */
  moment: string;
}

export interface ClassifiedImage {
  /** Index in the test set. */
  index: number;
  pixels: Uint8Array;
  label: number;
  predicted: number;
  /** The probability of the predicted class. */
  confidence: number;
  /** The probability given to the true class. */
  labelProbability: number;
}

export interface TestReport {
  /** Test images it covers (the first n of the 10,000). */
  samples: number;
  loss: number;
  accuracy: number;
  /** confusion[trueClass][predictedClass] = count. */
  confusion: number[][];
  /** The test images whose true class got the lowest probability, worst first. */
  worst: ClassifiedImage[];
  /** The first test image of each class. */
  examples: ClassifiedImage[];
  moment: string;
}

export interface BatchRecord {
  epoch: number;
  batch: number;
  /** Running loss and accuracy over the epoch so far, as Keras prints them. */
  loss: number;
  accuracy: number;
  /** Wall time of this batch's training step in milliseconds. */
  milliseconds: number;
}

export interface ModelInfo {
  origin: 'trained' | 'opened';
  /** 'Textbook model 3' or the opened file's name. */
  name: string;
  summary: string;
  params: number;
  classNames: string[];
}

export type FromModelWorker =
  | { type: 'status'; text: string }
  | { type: 'data-missing'; message: string }
  | { type: 'model'; info: ModelInfo }
  | {
      type: 'begin';
      model: TextbookModelNumber;
      stepsPerEpoch: number;
      epochs: number;
      samples: number;
      batchSize: number;
      workers: number;
      isolated: boolean;
    }
  /** Batches since the last message, sent a few times a second rather than one message each. */
  | { type: 'batches'; items: BatchRecord[] }
  | {
      type: 'epoch';
      epoch: number;
      loss: number;
      accuracy: number;
      testLoss: number;
      testAccuracy: number;
    }
  | { type: 'inspection'; inspection: Inspection }
  | { type: 'report'; report: TestReport }
  | { type: 'exported'; modelJson: ModelJson; weights: ArrayBuffer }
  | { type: 'done'; stopped: boolean; seconds: number }
  | { type: 'error'; message: string };
