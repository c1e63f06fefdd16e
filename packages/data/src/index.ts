// @convoy/data for Node: the IDX parser, Fashion-MNIST from disk (or the mirror), image folders
// (PNG and JPEG, one subfolder per class) in and out, and the helpers that make normalized tensors
// and seeded batches. Browsers get ./browser.ts instead.

export * from './common.js';
export { type DecodedImage, decodeImage } from './image/decode.js';
export { type ColorMode, resizeInto, toColorMode } from './image/pixels.js';
export { type Environment, userCacheDir } from './node/cache-dir.js';
export {
  classFolderName,
  type ExportImageFolderOptions,
  exportImageFolder,
} from './node/export-folder.js';
export {
  IMAGE_EXTENSIONS,
  type ImageFolder,
  type ImageFolderSplit,
  type LoadImageFolderOptions,
  loadImageFolder,
} from './node/image-folder.js';
export {
  DEBIAN_FASHION_MNIST_DIR,
  FASHION_MNIST_DIR_ENV,
  FashionMnistNotFoundError,
  type LoadFashionMnistOptions,
  loadFashionMnist,
} from './node/load.js';
export {
  type LoadProgress,
  type LoadProgressCallback,
  type ProgressStream,
  progressReporter,
} from './node/load-progress.js';
