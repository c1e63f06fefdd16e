// The training data for a run: Fashion-MNIST from --data (strictly: a missing file is an error,
// not a reason to look elsewhere) or the loader's search order, or an image folder of the user's
// own (image-data.ts); cut to --subset, as float32 NHWC images in [0, 1] and int32 labels.

import { readdir, stat } from 'node:fs/promises';
import {
  FASHION_MNIST_FILES,
  loadFashionMnist,
  type ProgressStream,
  take,
  toImageTensor,
  toLabelTensor,
} from '@convoy/data';
import { canShareMemory, type Tensor } from '@convoy/tensor';
import type { ModelSpec } from './cli.js';
import { declaredInputShape, type ImageShape } from './data-fit.js';
import { loadFolderData } from './image-data.js';

export interface TrainingData {
  trainImages: Tensor<'float32'>;
  trainLabels: Tensor<'int32'>;
  testImages: Tensor<'float32'>;
  testLabels: Tensor<'int32'>;
  /** Where the data came from. */
  source: string;
  /** Training images available before --subset. */
  fullTrainSize: number;
  /** One name per label. */
  classNames: readonly string[];
  /** What the held-out images are called: 'test' (Fashion-MNIST, train/ + test/) or 'validation'. */
  testName: string;
}

export interface LoadTrainingDataOptions {
  dataDir: string | undefined;
  subset: number | undefined;
  /** The model to train: an image folder is loaded at its input shape. */
  model?: ModelSpec;
  /** --image-size [height, width] and --color, overriding the model's input for an image folder. */
  imageSize?: readonly [number, number];
  color?: 'gray' | 'rgb';
  /** Held out of a single image folder (default 0.2). */
  validationSplit?: number;
  seed?: number;
  /** Where loading progress goes (a bar on a terminal, lines otherwise); default stderr. */
  progress?: ProgressStream;
}

const IDX_FILE_NAMES = FASHION_MNIST_FILES.map((file) => file.fileName);

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (info) => info.isDirectory(),
    () => false,
  );
}

/** Which of the four IDX files `dir` holds. */
async function idxFilesIn(dir: string): Promise<string[]> {
  const names = await readdir(dir);
  return IDX_FILE_NAMES.filter((name) => names.includes(name));
}

export async function loadTrainingData(options: LoadTrainingDataOptions): Promise<TrainingData> {
  const dir = options.dataDir;
  if (dir !== undefined) {
    if (!(await isDirectory(dir))) throw new Error(`--data ${dir}: no such directory`);
    const present = await idxFilesIn(dir);
    if (present.length === 0) return loadImages(dir, options);
    const missing = IDX_FILE_NAMES.filter((name) => !present.includes(name));
    if (missing.length > 0)
      throw new Error(
        `--data ${dir}: missing ${missing.join(', ')} (the directory must hold the four Fashion-MNIST .gz files; on Debian or Ubuntu \`apt-get install dataset-fashion-mnist\` puts them in /usr/share/datasets/fashion-mnist)`,
      );
  }
  const dataset = await loadFashionMnist(dir === undefined ? {} : { dir });
  const fullTrainSize = dataset.train.images.shape[0]!;
  const count = subsetCount(options.subset, fullTrainSize, dataset.source);
  return {
    // Images on shared memory where the runtime has it, so worker threads read them without a copy.
    trainImages: toImageTensor(take(dataset.train.images, count), { shared: canShareMemory() }),
    trainLabels: toLabelTensor(take(dataset.train.labels, count)),
    testImages: toImageTensor(dataset.test.images, { shared: canShareMemory() }),
    testLabels: toLabelTensor(dataset.test.labels),
    source: `Fashion-MNIST from ${dataset.source}`,
    fullTrainSize,
    classNames: dataset.classNames,
    testName: 'test',
  };
}

function subsetCount(subset: number | undefined, available: number, source: string): number {
  if (subset !== undefined && subset > available)
    throw new Error(
      `--subset ${subset}: the training set has only ${available} images (from ${source})`,
    );
  return subset ?? available;
}

async function loadImages(dir: string, options: LoadTrainingDataOptions): Promise<TrainingData> {
  const shape = await folderImageShape(dir, options);
  const data = await loadFolderData({
    dir,
    shape,
    validationSplit: options.validationSplit ?? 0.2,
    seed: options.seed ?? 0,
    ...(options.progress ? { progress: options.progress } : {}),
  });
  const fullTrainSize = data.train.images.shape[0]!;
  const count = subsetCount(options.subset, fullTrainSize, dir);
  return {
    trainImages: take(data.train.images, count),
    trainLabels: take(data.train.labels, count),
    testImages: data.test.images,
    testLabels: data.test.labels,
    source: data.source,
    fullTrainSize,
    classNames: data.classNames,
    testName: data.testName,
  };
}

/** The shape to load a folder's images at: --image-size/--color, else the model's input. */
async function folderImageShape(
  dir: string,
  options: LoadTrainingDataOptions,
): Promise<ImageShape> {
  const declared = options.model ? await declaredInputShape(options.model) : undefined;
  const [height, width] = options.imageSize ?? declared ?? [];
  const channels = options.color ? (options.color === 'gray' ? 1 : 3) : declared?.[2];
  if (height === undefined || width === undefined || channels === undefined)
    throw new Error(
      `--data ${dir}: cannot tell what size to load the images at (the model file does not declare its input shape); pass --image-size <height>x<width> and --color gray|rgb`,
    );
  return [height, width, channels];
}

/** The note printed before training: where the images came from and how many. */
export function describeTrainingData(data: TrainingData): string {
  const trainCount = data.trainImages.shape[0]!;
  return (
    `${data.source}: ${trainCount} training images` +
    (trainCount < data.fullTrainSize ? ` (the first ${trainCount} of ${data.fullTrainSize})` : '') +
    `, ${data.testImages.shape[0]} ${data.testName} images, ${data.classNames.length} classes.`
  );
}
