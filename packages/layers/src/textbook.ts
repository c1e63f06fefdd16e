// The three Fashion-MNIST CNNs of the textbook chapter (521_1.py, 522_1.py, 523_1.py), compiled
// as the book compiles them: Adam, sparse categorical cross-entropy, accuracy.

import type { OptimizerIdentifier } from '@convoy/optim';
import { conv2d } from './layers/conv2d.js';
import { dense } from './layers/dense.js';
import { flatten } from './layers/flatten.js';
import { input } from './layers/input.js';
import { maxPooling2d } from './layers/pooling.js';
import { type Sequential, sequential } from './sequential.js';

export type TextbookModelNumber = 1 | 2 | 3;

export interface TextbookModelOptions {
  seed?: number;
  /** Default 'adam', as the book. */
  optimizer?: OptimizerIdentifier;
}

/** Filters of each 3x3 'same' ReLU convolution, per model. */
const CONVOLUTION_FILTERS: Record<TextbookModelNumber, readonly number[]> = {
  1: [32, 64],
  2: [32],
  3: [2],
};

/** The book's settings for fit: 5 epochs of batches of 32. */
export const TEXTBOOK_FIT = { epochs: 5, batchSize: 32 } as const;

/**
 * 1: Conv2D(32)-Conv2D(64)-MaxPooling2D-Flatten-Dense(128)-Dense(10), 1,625,866 params.
 * 2: Conv2D(32)-MaxPooling2D-Flatten-Dense(10), 63,050 params.
 * 3: Conv2D(2)-MaxPooling2D-Flatten-Dense(10), 3,950 params.
 */
export function textbookModel(
  which: TextbookModelNumber,
  options: TextbookModelOptions = {},
): Sequential {
  const filters = CONVOLUTION_FILTERS[which];
  if (!filters) {
    throw new RangeError(`textbookModel: the book has models 1, 2 and 3, got ${String(which)}`);
  }
  const convolutions = filters.map((count) =>
    conv2d({ filters: count, kernelSize: 3, activation: 'relu', padding: 'same' }),
  );
  const head = which === 1 ? [dense({ units: 128, activation: 'relu' })] : [];
  const model = sequential(
    [
      input({ shape: [28, 28, 1] }),
      ...convolutions,
      maxPooling2d({ poolSize: 2 }),
      flatten(),
      ...head,
      dense({ units: 10, activation: 'softmax' }),
    ],
    { seed: options.seed },
  );
  model.compile({
    optimizer: options.optimizer ?? 'adam',
    loss: 'sparse_categorical_crossentropy',
    metrics: ['accuracy'],
  });
  return model;
}
