// @convoy/data for Node: the IDX parser, Fashion-MNIST from disk (or the mirror), and the
// helpers that make normalized tensors and seeded batches. Browsers get ./browser.ts instead.

export * from './common.js';
export { type Environment, userCacheDir } from './node/cache-dir.js';
export {
  DEBIAN_FASHION_MNIST_DIR,
  FASHION_MNIST_DIR_ENV,
  FashionMnistNotFoundError,
  type LoadFashionMnistOptions,
  loadFashionMnist,
} from './node/load.js';
