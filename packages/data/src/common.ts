// The platform-neutral part of @convoy/data, shared by the Node and browser entries.

export { type Batch, type BatchOptions, batchCount, batches, shuffledIndices } from './batches.js';
export { type LoadFashionMnistFromUrlOptions, loadFashionMnistFromUrl } from './browser-load.js';
export {
  assembleFashionMnist,
  FASHION_MNIST_CLASSES,
  FASHION_MNIST_FILES,
  FASHION_MNIST_MIRROR,
  FASHION_MNIST_TEST_SIZE,
  FASHION_MNIST_TRAIN_SIZE,
  type FashionMnist,
  type FashionMnistBytes,
  type FashionMnistFile,
  type FashionMnistFileKey,
  type ImageSplit,
} from './fashion-mnist.js';
export {
  encodeIdx,
  type IdxArray,
  type IdxData,
  type IdxDType,
  MAX_IDX_ELEMENTS,
  parseIdx,
} from './idx.js';
export type { DownloadProgress, ProgressCallback } from './progress.js';
export {
  gatherRows,
  subset,
  type ToImageTensorOptions,
  take,
  toImageTensor,
  toLabelTensor,
} from './tensors.js';
