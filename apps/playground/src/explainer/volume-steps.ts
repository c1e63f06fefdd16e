// The explainer's model for images of several channels and several filters (516_1, 518_1,
// 519_1, 5110_1, 5111_1): the chapter's loop `for fn: for row: for col:` unrolled into one step
// per output value. Each step keeps, per input channel, the window, the window×filter products
// and their sum, and the total over channels — the chapter's "per-layer sums added into one
// value". The final output comes from @convoy/ops conv2d (HWIO filters), and a test checks that
// the steps agree with it.

import { conv2d } from '@convoy/ops';
import { tensor } from '@convoy/tensor';
import { type ExplainerSettings, outputSize, zeroPad } from './steps.js';
import {
  channelOf,
  type FilterBank,
  filterSlice,
  type Matrix,
  type Volume,
} from './textbook-example.js';

export interface VolumeStep {
  /** Which filter (= which output channel): the chapter's `fn`. */
  filter: number;
  row: number;
  col: number;
  /** Top-left corner of the window in the padded image. */
  top: number;
  left: number;
  /** Per input channel: the window, window×filter, and the sum of those products. */
  windows: Matrix[];
  products: Matrix[];
  channelSums: number[];
  /** The sum over every channel: one output value. */
  sum: number;
  /** Every output channel after this step; values not computed yet are null. */
  partialOutput: (number | null)[][][];
}

export interface VolumeShape {
  height: number;
  width: number;
  channels: number;
}

export interface VolumeWalkthrough {
  input: VolumeShape;
  /** Filter rows, columns, depth (= input channels) and count (= output channels). */
  kernel: { height: number; width: number; depth: number; count: number };
  output: VolumeShape;
  /** Each input channel, zero padded. */
  paddedChannels: Matrix[];
  /** filterChannels[f][c]: input channel c of filter f. */
  filterChannels: Matrix[][];
  steps: VolumeStep[];
  /** conv2d's answer, one matrix per output channel. */
  result: Matrix[];
}

function shapeOf(volume: Volume, name: string): VolumeShape {
  const height = volume.length;
  const width = volume[0]?.length ?? 0;
  const channels = volume[0]?.[0]?.length ?? 0;
  const rectangular = volume.every(
    (row) => row.length === width && row.every((pixel) => pixel.length === channels),
  );
  if (height === 0 || width === 0 || channels === 0 || !rectangular) {
    throw new RangeError(`explainer: ${name} must be a non-empty [rows][columns][channels] array`);
  }
  return { height, width, channels };
}

/** conv2d from @convoy/ops on one HWC image and an HWIO filter bank, one matrix per filter. */
export function conv2dVolume(
  image: Volume,
  bank: FilterBank,
  settings: ExplainerSettings,
): Matrix[] {
  const input = shapeOf(image, 'image');
  const [kernelHeight, kernelWidth] = [bank.length, bank[0]!.length];
  const count = bank[0]![0]![0]!.length;
  const x = tensor(image.flat(2), [1, input.height, input.width, input.channels]);
  const w = tensor(bank.flat(3), [kernelHeight, kernelWidth, input.channels, count]);
  const { padding } = settings;
  const y = conv2d(x, w, {
    strides: settings.stride,
    padding: [
      [padding, padding],
      [padding, padding],
    ],
  });
  const [, outHeight, outWidth] = y.shape as [number, number, number, number];
  return Array.from({ length: count }, (_, f) =>
    Array.from({ length: outHeight }, (_, r) =>
      Array.from({ length: outWidth }, (_, c) => y.data[(r * outWidth + c) * count + f]!),
    ),
  );
}

export function walkVolumeConvolution(
  image: Volume,
  bank: FilterBank,
  settings: ExplainerSettings,
): VolumeWalkthrough {
  const input = shapeOf(image, 'image');
  const kernelHeight = bank.length;
  const kernelWidth = bank[0]?.length ?? 0;
  const depth = bank[0]?.[0]?.length ?? 0;
  const count = bank[0]?.[0]?.[0]?.length ?? 0;
  if (kernelHeight === 0 || kernelWidth === 0 || depth === 0 || count === 0) {
    throw new RangeError(
      'explainer: the filters must be a non-empty [rows][columns][depth][count] array',
    );
  }
  // The chapter's rule: a filter is as deep as the image it slides over.
  if (depth !== input.channels) {
    throw new RangeError(
      `explainer: a filter's depth must equal the input's depth: the image is ${input.height}×${input.width}×${input.channels}, the filters ${kernelHeight}×${kernelWidth}×${depth}`,
    );
  }
  const { stride, padding } = settings;
  const outHeight = outputSize(input.height, kernelHeight, stride, padding);
  const outWidth = outputSize(input.width, kernelWidth, stride, padding);
  if (outHeight < 1 || outWidth < 1) {
    throw new RangeError(
      `explainer: a ${kernelHeight}×${kernelWidth} filter does not fit a ${input.height}×${input.width} image with padding ${padding}`,
    );
  }
  const paddedChannels = Array.from({ length: depth }, (_, c) =>
    zeroPad(channelOf(image, c), padding),
  );
  const filterChannels = Array.from({ length: count }, (_, f) =>
    Array.from({ length: depth }, (_, c) => filterSlice(bank, c, f)),
  );
  const partial = Array.from({ length: count }, () =>
    Array.from({ length: outHeight }, () => new Array<number | null>(outWidth).fill(null)),
  );
  const steps: VolumeStep[] = [];
  for (let filter = 0; filter < count; filter++) {
    for (let row = 0; row < outHeight; row++) {
      for (let col = 0; col < outWidth; col++) {
        const top = row * stride;
        const left = col * stride;
        const windows = paddedChannels.map((channel) =>
          channel.slice(top, top + kernelHeight).map((r) => r.slice(left, left + kernelWidth)),
        );
        const products = windows.map((window, c) =>
          window.map((r, i) => r.map((value, j) => value * filterChannels[filter]![c]![i]![j]!)),
        );
        const channelSums = products.map((p) => p.flat().reduce((a, b) => a + b, 0));
        const sum = channelSums.reduce((a, b) => a + b, 0);
        partial[filter]![row]![col] = sum;
        steps.push({
          filter,
          row,
          col,
          top,
          left,
          windows,
          products,
          channelSums,
          sum,
          partialOutput: partial.map((m) => m.map((r) => [...r])),
        });
      }
    }
  }
  return {
    input,
    kernel: { height: kernelHeight, width: kernelWidth, depth, count },
    output: { height: outHeight, width: outWidth, channels: count },
    paddedChannels,
    filterChannels,
    steps,
    result: conv2dVolume(image, bank, settings),
  };
}
