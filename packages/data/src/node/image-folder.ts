// loadImageFolder: a directory with one subfolder per class of PNG or JPEG files, as normalized
// float32 NHWC images and int32 labels, with a seeded train/validation split — Convoy's
// counterpart of Keras's image_dataset_from_directory and torchvision's ImageFolder. Classes are
// the subfolder names in sorted order (label 0 first), files are sorted within each class, and
// the list is shuffled with the seed before the last `validationSplit` of it becomes the
// validation set, as Keras does.

import { readdir, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { allocate, Tensor } from '@convoy/tensor';
import { shuffledIndices } from '../batches.js';
import { type DecodedImage, decodeImage } from '../image/decode.js';
import { CHANNELS_OF, type ColorMode, resizeInto, toColorMode } from '../image/pixels.js';
import { type LoadProgressCallback, progressReporter } from './load-progress.js';

/** File name endings loaded (case-insensitive); other files are skipped, as Keras skips them. */
export const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg'] as const;

export interface LoadImageFolderOptions {
  /** [height, width] every image is resized to (bilinear). Default: the images' own size, which must then be the same for all. */
  imageSize?: readonly [number, number];
  /** 'grayscale' (1 channel) or 'rgb' (3); default 'rgb', as Keras. */
  colorMode?: ColorMode;
  /** Fraction (0..1) of the files held out as the validation split; default none. */
  validationSplit?: number;
  /** Shuffle the files before splitting (and in the returned order); default true, as Keras. */
  shuffle?: boolean;
  /** Seed of the shuffle; default 0. The same seed gives the same split on every machine. */
  seed?: number;
  /** Class subfolders to use, in label order; default every subfolder, sorted. */
  classNames?: readonly string[];
  /** Divide by 255 so pixels lie in [0, 1]; default true. */
  normalize?: boolean;
  /** Allocate the images on a SharedArrayBuffer for worker threads; default false. */
  shared?: boolean;
  /** Progress while decoding; default a bar (terminal) or lines on stderr; false for silence. */
  onProgress?: LoadProgressCallback | false;
}

export interface ImageFolderSplit {
  /** float32 [n, height, width, channels]. */
  images: Tensor<'float32'>;
  /** int32 [n]: indices into classNames. */
  labels: Tensor<'int32'>;
  /** Each sample's path relative to the folder, in the same order. */
  files: string[];
}

export interface ImageFolder {
  classNames: string[];
  train: ImageFolderSplit;
  /** Present when validationSplit > 0. */
  validation?: ImageFolderSplit;
  /** [height, width, channels] of one image. */
  imageShape: [number, number, number];
}

interface Sample {
  file: string;
  label: number;
}

/** Reads every image of `dir`'s class subfolders; see LoadImageFolderOptions. */
export async function loadImageFolder(
  dir: string,
  options: LoadImageFolderOptions = {},
): Promise<ImageFolder> {
  const colorMode = options.colorMode ?? 'rgb';
  if (colorMode !== 'grayscale' && colorMode !== 'rgb')
    throw new RangeError(
      `loadImageFolder: colorMode must be 'grayscale' or 'rgb', got '${String(colorMode)}'`,
    );
  const split = options.validationSplit ?? 0;
  if (!(split >= 0 && split < 1))
    throw new RangeError(`loadImageFolder: validationSplit must be in [0, 1), got ${split}`);
  if (options.imageSize) checkImageSize(options.imageSize);

  const classNames = await findClasses(dir, options.classNames);
  const samples = await listSamples(dir, classNames);
  if (samples.length === 0)
    throw new Error(
      `loadImageFolder: ${dir} has class folders (${classNames.join(', ')}) but no ${IMAGE_EXTENSIONS.join('/')} files in them`,
    );
  const order =
    options.shuffle === false
      ? Int32Array.from(samples, (_, i) => i)
      : shuffledIndices(samples.length, options.seed ?? 0);
  const ordered = Array.from(order, (i) => samples[i]!);
  const validationCount = Math.floor(split * ordered.length);
  if (split > 0 && (validationCount === 0 || validationCount === ordered.length))
    throw new RangeError(
      `loadImageFolder: validationSplit ${split} of ${ordered.length} files leaves ${validationCount === 0 ? 'no validation' : 'no training'} images`,
    );

  const report =
    options.onProgress === false ? undefined : (options.onProgress ?? progressReporter());
  const loaded = await decodeAll(dir, ordered, colorMode, report);
  const [height, width] = options.imageSize ?? commonSize(loaded, ordered);
  const channels = CHANNELS_OF[colorMode];
  const scale = options.normalize === false ? 1 : 255;
  const makeSplit = (from: number, to: number): ImageFolderSplit => {
    const count = to - from;
    const pixels = height * width * channels;
    const images = allocate('float32', count * pixels, { shared: options.shared ?? false });
    const labels = new Int32Array(count);
    for (let i = 0; i < count; i++) {
      resizeInto(loaded[from + i]!, height, width, images, i * pixels, scale);
      labels[i] = ordered[from + i]!.label;
    }
    return {
      images: new Tensor(images, [count, height, width, channels], 'float32'),
      labels: new Tensor(labels, [count], 'int32'),
      files: ordered.slice(from, to).map((sample) => sample.file),
    };
  };
  const trainCount = ordered.length - validationCount;
  return {
    classNames,
    train: makeSplit(0, trainCount),
    ...(validationCount > 0 ? { validation: makeSplit(trainCount, ordered.length) } : {}),
    imageShape: [height, width, channels],
  };
}

function checkImageSize(size: readonly number[]): void {
  if (size.length !== 2 || !size.every((side) => Number.isSafeInteger(side) && side > 0))
    throw new RangeError(
      `loadImageFolder: imageSize must be [height, width] in positive integers, got [${size.join(', ')}]`,
    );
}

async function findClasses(dir: string, wanted: readonly string[] | undefined): Promise<string[]> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    throw new Error(`loadImageFolder: cannot read the folder ${dir} (${(error as Error).message})`);
  }
  const folders = entries
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
    .map((entry) => entry.name)
    .sort();
  if (wanted) {
    const missing = wanted.filter((name) => !folders.includes(name));
    if (missing.length > 0)
      throw new Error(
        `loadImageFolder: classNames ${missing.join(', ')} have no subfolder in ${dir} (it has: ${folders.join(', ') || 'none'})`,
      );
    return [...wanted];
  }
  if (folders.length === 0)
    throw new Error(
      `loadImageFolder: ${dir} has no subfolders; expected one subfolder per class (e.g. ${dir}/cat/1.png, ${dir}/dog/2.jpg)`,
    );
  return folders;
}

async function listSamples(dir: string, classNames: readonly string[]): Promise<Sample[]> {
  const samples: Sample[] = [];
  for (const [label, name] of classNames.entries()) {
    const files = (await readdir(join(dir, name), { withFileTypes: true }))
      .filter(
        (entry) =>
          entry.isFile() &&
          (IMAGE_EXTENSIONS as readonly string[]).includes(extname(entry.name).toLowerCase()),
      )
      .map((entry) => entry.name)
      .sort();
    for (const file of files) samples.push({ file: `${name}/${file}`, label });
  }
  return samples;
}

/** How many files are read ahead while others decode: enough to keep the disk busy. */
const READ_AHEAD = 32;

async function decodeAll(
  dir: string,
  samples: readonly Sample[],
  colorMode: ColorMode,
  report: LoadProgressCallback | undefined,
): Promise<DecodedImage[]> {
  const what = 'loading images';
  const total = samples.length;
  const images: DecodedImage[] = new Array(total);
  const reads: Promise<Uint8Array>[] = [];
  const readAt = (i: number): Promise<Uint8Array> => {
    const path = join(dir, samples[i]!.file);
    const read = readFile(path).catch((error: Error) => {
      throw new Error(`loadImageFolder: cannot read ${path} (${error.message})`);
    });
    // Marked as handled now; the error still surfaces when this file's turn comes.
    read.catch(() => {});
    return read;
  };
  for (let i = 0; i < Math.min(READ_AHEAD, total); i++) reads.push(readAt(i));
  report?.({ done: 0, total, what });
  for (let i = 0; i < total; i++) {
    const bytes = await reads[i]!;
    delete reads[i];
    if (i + READ_AHEAD < total) reads[i + READ_AHEAD] = readAt(i + READ_AHEAD);
    images[i] = toColorMode(decodeImage(bytes, join(dir, samples[i]!.file)), colorMode);
    report?.({ done: i + 1, total, what });
  }
  return images;
}

function commonSize(images: readonly DecodedImage[], samples: readonly Sample[]): [number, number] {
  const first = images[0]!;
  const other = images.findIndex(
    (image) => image.width !== first.width || image.height !== first.height,
  );
  if (other >= 0)
    throw new Error(
      `loadImageFolder: the images differ in size (${samples[0]!.file} is ${first.width}x${first.height}, ${samples[other]!.file} is ${images[other]!.width}x${images[other]!.height}); pass imageSize: [height, width] to resize them all`,
    );
  return [first.height, first.width];
}
