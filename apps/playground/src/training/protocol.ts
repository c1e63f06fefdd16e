// The messages between the training view (page) and the training worker. Only plain data
// crosses: numbers, strings and the 28×28 bytes of the images shown as predictions.

export interface TrainingSettings {
  /** Training images taken from the start of the 60,000 (then shuffled every epoch). */
  trainSamples: number;
  /** Test images to measure accuracy on after each epoch. */
  testSamples: number;
  epochs: number;
  batchSize: number;
  /** Worker threads for the convolutions; 1 runs them inline in the training worker. */
  workers: number;
  seed: number;
  /** Where the four .gz files are served, e.g. '/data/fashion-mnist/'. */
  dataUrl: string;
}

export type ToTrainingWorker = { type: 'start'; settings: TrainingSettings } | { type: 'stop' };

export interface Prediction {
  /** 784 bytes, row by row. */
  pixels: Uint8Array;
  label: number;
  predicted: number;
  /** The softmax probability of the predicted class. */
  confidence: number;
}

export type FromTrainingWorker =
  | { type: 'status'; text: string }
  | { type: 'data-missing'; message: string }
  | {
      type: 'begin';
      stepsPerEpoch: number;
      epochs: number;
      samples: number;
      workers: number;
      isolated: boolean;
      summary: string;
      classNames: string[];
    }
  | {
      type: 'batch';
      epoch: number;
      batch: number;
      /** Running loss and accuracy over the epoch so far, as Keras prints them. */
      loss: number;
      accuracy: number;
      /** Wall time of this batch in milliseconds. */
      milliseconds: number;
    }
  | {
      type: 'epoch';
      epoch: number;
      loss: number;
      accuracy: number;
      testLoss: number;
      testAccuracy: number;
    }
  | { type: 'predictions'; epoch: number; items: Prediction[] }
  | { type: 'done'; stopped: boolean; seconds: number }
  | { type: 'error'; message: string };
