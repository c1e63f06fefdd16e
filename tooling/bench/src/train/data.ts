// The images the training benchmark trains on: the first n Fashion-MNIST training images when the
// dataset is on this machine (the Debian package, the cache, $CONVOY_FASHION_MNIST_DIR), else
// seeded random images of the same shape — a step costs the same either way.

import {
  FashionMnistNotFoundError,
  loadFashionMnist,
  subset,
  toImageTensor,
  toLabelTensor,
} from '@convoy/data';
import { createRng, Tensor } from '@convoy/tensor';

export async function trainingData(n: number): Promise<{ x: Tensor<'float32'>; y: Tensor }> {
  try {
    const { train } = await loadFashionMnist();
    const first = subset(train, Math.min(n, train.images.shape[0]!));
    return {
      x: toImageTensor(first.images, { shared: true }),
      y: toLabelTensor(first.labels, { shared: true }),
    };
  } catch (error) {
    if (!(error instanceof FashionMnistNotFoundError)) throw error;
    console.log('Fashion-MNIST not found here: training on random images of the same shape.');
    const rng = createRng(1);
    const pixels = new Float32Array(new SharedArrayBuffer(n * 784 * 4));
    for (let i = 0; i < pixels.length; i++) pixels[i] = rng.int(256) / 255;
    const labels = new Int32Array(new SharedArrayBuffer(n * 4));
    for (let i = 0; i < n; i++) labels[i] = rng.int(10);
    return {
      x: new Tensor(pixels, [n, 28, 28, 1], 'float32'),
      y: new Tensor(labels, [n], 'int32'),
    };
  }
}
