// Training data from an image folder (--data <folder> that is not a Fashion-MNIST IDX directory):
// either <folder>/train and <folder>/test, each with one subfolder per class (what
// `convoy-data export` writes), or one folder of class subfolders split with --validation-split,
// the held-out part playing the test set's role. Images are loaded at the model's input size and
// colour unless --image-size / --color say otherwise.

import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type ImageFolderSplit,
  loadImageFolder,
  type ProgressStream,
  progressReporter,
} from '@convoy/data';
import { canShareMemory } from '@convoy/tensor';
import { formatImageShape, type ImageShape } from './data-fit.js';

export interface ImageFolderData {
  train: ImageFolderSplit;
  test: ImageFolderSplit;
  classNames: string[];
  source: string;
  testName: string;
}

export interface LoadFolderOptions {
  dir: string;
  /** [height, width, channels] to load the images at. */
  shape: ImageShape;
  validationSplit: number;
  seed: number;
  progress?: ProgressStream;
}

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (info) => info.isDirectory(),
    () => false,
  );
}

export async function loadFolderData(options: LoadFolderOptions): Promise<ImageFolderData> {
  const [height, width, channels] = options.shape;
  if (channels !== 1 && channels !== 3)
    throw new Error(
      `--data ${options.dir}: images can be loaded gray (1 channel) or RGB (3), but the model takes ${channels} channels`,
    );
  const common = {
    imageSize: [height, width] as const,
    colorMode: channels === 1 ? ('grayscale' as const) : ('rgb' as const),
    seed: options.seed,
    // Images on shared memory where the runtime has it, so worker threads read them without a copy.
    shared: canShareMemory(),
    onProgress: progressReporter(options.progress ?? process.stderr),
  };
  const describe = formatImageShape(options.shape);
  if (
    (await isDirectory(join(options.dir, 'train'))) &&
    (await isDirectory(join(options.dir, 'test')))
  ) {
    const train = await loadImageFolder(join(options.dir, 'train'), common);
    const test = await loadImageFolder(join(options.dir, 'test'), {
      ...common,
      classNames: train.classNames,
      shuffle: false,
    });
    return {
      train: train.train,
      test: test.train,
      classNames: train.classNames,
      source: `the image folder ${options.dir} (train/ and test/, loaded as ${describe})`,
      testName: 'test',
    };
  }
  const folder = await loadImageFolder(options.dir, {
    ...common,
    validationSplit: options.validationSplit,
  });
  if (!folder.validation)
    throw new Error(
      `--data ${options.dir}: a single image folder needs --validation-split above 0 to hold out images for testing`,
    );
  return {
    train: folder.train,
    test: folder.validation,
    classNames: folder.classNames,
    source: `the image folder ${options.dir} (loaded as ${describe}; ${Math.round(options.validationSplit * 100)}% held out for validation with seed ${options.seed})`,
    testName: 'validation',
  };
}
