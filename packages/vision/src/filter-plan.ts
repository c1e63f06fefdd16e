// Turns "filter this image with this kernel" into one @convoy/ops conv2d call and back. Each colour
// channel of the image becomes its own batch item of a one-channel NHWC tensor (channels moved into
// the batch dimension), so a single conv2d with a [kh, kw, 1, 1] filter filters every channel with
// the same kernel. For a worker executor, which splits a call by batch items, the image is also cut
// into horizontal bands, each carrying (kh-1)/2 halo rows above and below, so even a one-channel
// picture splits across threads. The items are padded here by the chosen mode and convolved
// 'valid'; padding during the uint8 -> float32 copy that conv2d needs anyway costs nothing extra.

import { allocate, canShareMemory, type Tensor, tensor } from '@convoy/tensor';
import {
  allocatePixels,
  assertImage,
  colorChannels,
  type Image,
  maxValueOf,
  pixelTypeOf,
} from './image.js';
import { type Kernel, kernelSize, validateKernel } from './kernels.js';
import { assertPaddingMode, type PaddingMode, sourceIndex } from './padding.js';

export interface FilterPlanOptions {
  padding: PaddingMode;
  clip: boolean;
  /** Horizontal bands (batch items per channel); 1 for a single-thread call. */
  bands: number;
}

export interface FilterPlan {
  /** [channels * bands, bandHeight + kh - 1, width + kw - 1, 1] */
  x: Tensor<'float32'>;
  /** [kh, kw, 1, 1] */
  filter: Tensor<'float32'>;
  /** Converts conv2d's [channels * bands, bandHeight, width, 1] result into the output image. */
  finish(out: Tensor<'float32'>): Image;
}

export function planFilter(
  image: Image,
  kernel: Kernel,
  options: FilterPlanOptions,
  op: string,
): FilterPlan {
  assertImage(image, op);
  validateKernel(kernel, op);
  assertPaddingMode(options.padding, op);
  const { width, height, channels, data } = image;
  const [kh, kw] = kernelSize(kernel);
  const halfH = (kh - 1) / 2;
  const halfW = (kw - 1) / 2;
  const filtered = colorChannels(channels);
  const bands = Math.max(1, Math.min(Math.floor(options.bands), height));
  const bandHeight = Math.ceil(height / bands);
  const itemHeight = bandHeight + kh - 1;
  const itemWidth = width + kw - 1;
  const itemSize = itemHeight * itemWidth;

  // On shared memory wherever the runtime has it, so any executor's workers read it without a copy.
  const x = allocate('float32', filtered * bands * itemSize, { shared: canShareMemory() });
  const columnSource = new Int32Array(itemWidth);
  for (let col = 0; col < itemWidth; col++) {
    columnSource[col] = sourceIndex(col - halfW, width, options.padding);
  }
  for (let c = 0; c < filtered; c++) {
    for (let band = 0; band < bands; band++) {
      const item = (c * bands + band) * itemSize;
      for (let row = 0; row < itemHeight; row++) {
        // The last band may run past the bottom; its extra rows are read by the padding rule
        // and their outputs dropped in finish().
        const sourceRow = sourceIndex(band * bandHeight + row - halfH, height, options.padding);
        if (sourceRow < 0) continue;
        const rowStart = sourceRow * width * channels + c;
        let at = item + row * itemWidth;
        for (let col = 0; col < itemWidth; col++, at++) {
          const sourceCol = columnSource[col]!;
          if (sourceCol >= 0) x[at] = data[rowStart + sourceCol * channels]!;
        }
      }
    }
  }
  const filter = tensor(kernel.weights.flat(), [kh, kw, 1, 1], 'float32');
  const input = tensor(x, [filtered * bands, itemHeight, itemWidth, 1], 'float32');

  const finish = (out: Tensor<'float32'>): Image => {
    const expected = [filtered * bands, bandHeight, width, 1];
    if (out.shape.some((dim, i) => dim !== expected[i])) {
      throw new Error(
        `${op}: conv2d returned shape [${out.shape.join(', ')}], expected [${expected.join(', ')}]`,
      );
    }
    const type = pixelTypeOf(data);
    // Float images are taken on the 0..255 scale of the chapter's arrays and are not truncated.
    const max = type === 'float32' ? 255 : maxValueOf(type);
    const truncate = type !== 'float32';
    const result = allocatePixels(options.clip ? type : 'float32', data.length);
    const sums = out.data;
    const { divisor } = kernel;
    for (let c = 0; c < filtered; c++) {
      for (let row = 0; row < height; row++) {
        const band = Math.floor(row / bandHeight);
        let from = ((c * bands + band) * bandHeight + (row - band * bandHeight)) * width;
        let to = row * width * channels + c;
        for (let col = 0; col < width; col++, from++, to += channels) {
          // Integer weights give exact integer sums; one division then matches exact arithmetic.
          const value = divisor === 1 ? sums[from]! : sums[from]! / divisor;
          // Storing into uint8 truncates toward zero after the clip, as the chapter's
          // `convolution[row, col] = np.clip(...)` into a uint8 array does.
          if (!options.clip) result[to] = value;
          else {
            const clipped = value <= 0 ? 0 : Math.min(value, max);
            result[to] = truncate ? Math.trunc(clipped) : clipped;
          }
        }
      }
    }
    for (let c = filtered; c < channels; c++) {
      for (let i = c; i < data.length; i += channels) result[i] = data[i]!;
    }
    return { width, height, channels, data: result };
  };

  return { x: input, filter, finish };
}
