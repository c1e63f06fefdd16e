// Max and average pooling of images through @convoy/ops maxPool2d / avgPool2d: the chapter's
// 517_2 shrinks the edge map with 2x2 max pooling (stride 2, leftover edge rows dropped), which
// is poolSize 2 with 'valid' padding.

import { avgPool2d, maxPool2d } from '@convoy/ops';
import { type Tensor, tensor } from '@convoy/tensor';
import { allocatePixels, assertImage, type Image, type PixelData, pixelTypeOf } from './image.js';

export interface ImagePoolingOptions {
  /** Window size, one number or [height, width]; default 2. */
  size?: number | readonly [number, number];
  /** Step between windows; default the window size. */
  stride?: number | readonly [number, number];
}

function asTensor(image: Image): Tensor<'float32'> {
  return tensor(
    Float32Array.from(image.data),
    [1, image.height, image.width, image.channels],
    'float32',
  );
}

function pooled<T extends PixelData>(
  image: Image<T>,
  out: Tensor<'float32'>,
  round: boolean,
): Image<T> {
  const [, height, width] = out.shape as [number, number, number, number];
  const type = pixelTypeOf(image.data);
  const data = allocatePixels(type, out.size) as T;
  if (round && type !== 'float32') {
    for (let i = 0; i < out.size; i++) data[i] = Math.round(out.data[i]!);
  } else {
    data.set(out.data);
  }
  return { width: width!, height: height!, channels: image.channels, data };
}

/** The largest value in each window, per channel (alpha too); keeps the pixel type. */
export function maxPool<T extends PixelData>(
  image: Image<T>,
  options: ImagePoolingOptions = {},
): Image<T> {
  assertImage(image, 'maxPool');
  const poolSize = options.size ?? 2;
  const out = maxPool2d(asTensor(image), {
    poolSize,
    strides: options.stride ?? poolSize,
    padding: 'valid',
  });
  return pooled(image, out, false);
}

/** The mean of each window, per channel; integer images are rounded to the nearest value. */
export function avgPool<T extends PixelData>(
  image: Image<T>,
  options: ImagePoolingOptions = {},
): Image<T> {
  assertImage(image, 'avgPool');
  const poolSize = options.size ?? 2;
  const out = avgPool2d(asTensor(image), {
    poolSize,
    strides: options.stride ?? poolSize,
    padding: 'valid',
  });
  return pooled(image, out, true);
}
