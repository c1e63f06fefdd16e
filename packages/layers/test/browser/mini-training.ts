// The training both the page and its worker run: model 1 of the textbook in miniature on the toy
// images, two epochs with validation, on `workers` replicas.

import { activeBackend } from '@convoy/ops';
import {
  conv2d,
  dense,
  dropout,
  flatten,
  input,
  maxPooling2d,
  sequential,
} from '../../src/index.js';
import { TOY_CLASSES, TOY_SIZE, toyImages } from '../helpers/toy.js';

export interface TrainedMini {
  weights: number[][];
  history: Record<string, number[]>;
  backend: string;
}

export async function trainMiniModel(workers: number): Promise<TrainedMini> {
  const model = sequential(
    [
      input({ shape: [TOY_SIZE, TOY_SIZE, 1] }),
      conv2d({ filters: 4, kernelSize: 3, activation: 'relu', padding: 'same' }),
      conv2d({ filters: 6, kernelSize: 3, activation: 'relu', padding: 'same' }),
      maxPooling2d({ poolSize: 2 }),
      flatten(),
      dense({ units: 8, activation: 'relu' }),
      dropout({ rate: 0.25 }),
      dense({ units: TOY_CLASSES, activation: 'softmax' }),
    ],
    { seed: 31 },
  );
  model.compile({
    optimizer: { name: 'Adam', learning_rate: 0.01, decay: 0 },
    loss: 'sparse_categorical_crossentropy',
    metrics: ['accuracy'],
  });
  const { x, y } = toyImages(50, 7);
  const { history } = await model.fit(x, y, {
    epochs: 2,
    batchSize: 16,
    validationSplit: 0.2,
    workers,
  });
  return {
    weights: model.getWeights().map((w) => Array.from(w.data)),
    history,
    backend: activeBackend().name,
  };
}
