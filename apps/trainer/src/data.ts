// The training data for a run: Fashion-MNIST from --data (strictly: a missing file is an error,
// not a reason to look elsewhere) or the loader's search order, cut to --subset, as float32
// NHWC images in [0, 1] and int32 labels.

import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  FASHION_MNIST_FILES,
  loadFashionMnist,
  take,
  toImageTensor,
  toLabelTensor,
} from '@convoy/data';
import type { Tensor } from '@convoy/tensor';

export interface TrainingData {
  trainImages: Tensor<'float32'>;
  trainLabels: Tensor<'int32'>;
  testImages: Tensor<'float32'>;
  testLabels: Tensor<'int32'>;
  /** Where the files came from. */
  source: string;
  /** Training images available before --subset. */
  fullTrainSize: number;
}

export interface LoadTrainingDataOptions {
  dataDir: string | undefined;
  subset: number | undefined;
  /** Put images on shared memory so worker threads read them without copies. */
  shared: boolean;
}

async function checkDataDir(dir: string): Promise<void> {
  const isDirectory = await stat(dir).then(
    (info) => info.isDirectory(),
    () => false,
  );
  if (!isDirectory) throw new Error(`--data ${dir}: no such directory`);
  const missing: string[] = [];
  for (const file of FASHION_MNIST_FILES) {
    const present = await stat(join(dir, file.fileName)).then(
      (info) => info.isFile(),
      () => false,
    );
    if (!present) missing.push(file.fileName);
  }
  if (missing.length > 0)
    throw new Error(
      `--data ${dir}: missing ${missing.join(', ')} (the directory must hold the four Fashion-MNIST .gz files; on Debian or Ubuntu \`apt-get install dataset-fashion-mnist\` puts them in /usr/share/datasets/fashion-mnist)`,
    );
}

export async function loadTrainingData(options: LoadTrainingDataOptions): Promise<TrainingData> {
  if (options.dataDir !== undefined) await checkDataDir(options.dataDir);
  const dataset = await loadFashionMnist(
    options.dataDir === undefined ? {} : { dir: options.dataDir },
  );
  const fullTrainSize = dataset.train.images.shape[0]!;
  if (options.subset !== undefined && options.subset > fullTrainSize)
    throw new Error(
      `--subset ${options.subset}: the training set has only ${fullTrainSize} images (from ${dataset.source})`,
    );
  const count = options.subset ?? fullTrainSize;
  return {
    trainImages: toImageTensor(take(dataset.train.images, count), { shared: options.shared }),
    trainLabels: toLabelTensor(take(dataset.train.labels, count)),
    testImages: toImageTensor(dataset.test.images, { shared: options.shared }),
    testLabels: toLabelTensor(dataset.test.labels),
    source: dataset.source,
    fullTrainSize,
  };
}
