// Fashion-MNIST facts and assembly, shared by the Node and browser loaders: the four files, their
// official checksums, the class names, and turning four decompressed IDX files into train/test splits.

import { Tensor } from '@convoy/tensor';
import { parseIdx } from './idx.js';

/** Label i is FASHION_MNIST_CLASSES[i] (from the zalandoresearch/fashion-mnist README). */
export const FASHION_MNIST_CLASSES = Object.freeze([
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
] as const);

export type FashionMnistFileKey = 'trainImages' | 'trainLabels' | 'testImages' | 'testLabels';

export interface FashionMnistFile {
  key: FashionMnistFileKey;
  fileName: string;
  /** MD5 of the .gz file as published on the official mirror. */
  gzipMd5: string;
  /**
   * MD5 of the decompressed file. Repackaged copies (Debian's dataset-fashion-mnist recompresses
   * the files, so their .gz checksums differ) still match this.
   */
  contentMd5: string;
}

export const FASHION_MNIST_FILES: readonly FashionMnistFile[] = Object.freeze([
  {
    key: 'trainImages',
    fileName: 'train-images-idx3-ubyte.gz',
    gzipMd5: '8d4fb7e6c68d591d4c3dfef9ec88bf0d',
    contentMd5: 'f4a8712d7a061bf5bd6d2ca38dc4d50a',
  },
  {
    key: 'trainLabels',
    fileName: 'train-labels-idx1-ubyte.gz',
    gzipMd5: '25c81989df183df01b3e8a0aad5dffbe',
    contentMd5: '9018921c3c673c538a1fc5bad174d6f9',
  },
  {
    key: 'testImages',
    fileName: 't10k-images-idx3-ubyte.gz',
    gzipMd5: 'bef4ecab320f06d8554ea6380940ec79',
    contentMd5: '8181f5470baa50b63fa0f6fddb340f0a',
  },
  {
    key: 'testLabels',
    fileName: 't10k-labels-idx1-ubyte.gz',
    gzipMd5: 'bb300cfdad3c16e7a12a480ee83cd310',
    contentMd5: '15d484375f8d13e6eb1aabb0c3f46965',
  },
]);

/** The official mirror named in the Fashion-MNIST README. */
export const FASHION_MNIST_MIRROR = 'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/';

export const FASHION_MNIST_TRAIN_SIZE = 60_000;
export const FASHION_MNIST_TEST_SIZE = 10_000;

/** Images and their labels: images uint8 [n, height, width], labels uint8 [n] (as Keras's load_data). */
export interface ImageSplit {
  images: Tensor<'uint8'>;
  labels: Tensor<'uint8'>;
}

export interface FashionMnist {
  train: ImageSplit;
  test: ImageSplit;
  classNames: readonly string[];
  /** Where the files came from (a directory or a URL), for logs. */
  source: string;
}

export type FashionMnistBytes = Record<FashionMnistFileKey, Uint8Array>;

/** Parses and cross-checks the four decompressed files. */
export function assembleFashionMnist(bytes: FashionMnistBytes, source: string): FashionMnist {
  const file = (key: FashionMnistFileKey) =>
    FASHION_MNIST_FILES.find((f) => f.key === key)!.fileName;
  const split = (imagesKey: FashionMnistFileKey, labelsKey: FashionMnistFileKey): ImageSplit => {
    const images = parseIdx(bytes[imagesKey], file(imagesKey));
    const labels = parseIdx(bytes[labelsKey], file(labelsKey));
    const where = `Fashion-MNIST (${source})`;
    if (
      images.dtype !== 'uint8' ||
      images.shape.length !== 3 ||
      images.shape[1] !== 28 ||
      images.shape[2] !== 28
    ) {
      throw new Error(
        `${where}: ${file(imagesKey)} must hold uint8 images [n, 28, 28], got ${images.dtype} [${images.shape.join(', ')}]`,
      );
    }
    if (labels.dtype !== 'uint8' || labels.shape.length !== 1) {
      throw new Error(
        `${where}: ${file(labelsKey)} must hold uint8 labels [n], got ${labels.dtype} [${labels.shape.join(', ')}]`,
      );
    }
    if (labels.shape[0] !== images.shape[0]) {
      throw new Error(
        `${where}: ${file(imagesKey)} has ${images.shape[0]} images but ${file(labelsKey)} has ${labels.shape[0]} labels`,
      );
    }
    const labelData = labels.data as Uint8Array;
    const bad = labelData.findIndex((label) => label >= FASHION_MNIST_CLASSES.length);
    if (bad !== -1) {
      throw new Error(
        `${where}: ${file(labelsKey)} label ${bad} is ${labelData[bad]}, expected 0..9`,
      );
    }
    return {
      images: new Tensor(images.data as Uint8Array, images.shape, 'uint8'),
      labels: new Tensor(labelData, labels.shape, 'uint8'),
    };
  };
  return {
    train: split('trainImages', 'trainLabels'),
    test: split('testImages', 'testLabels'),
    classNames: FASHION_MNIST_CLASSES,
    source,
  };
}

/** Whether bytes start with the gzip magic number (1f 8b). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}
