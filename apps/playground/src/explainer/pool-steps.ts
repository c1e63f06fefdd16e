// The explainer's model for max pooling (515_1, and the second half of 516_1): the chapter's
// loop `for fn: for row: for col: max_pooled[row, col, fn] = np.max(window)` unrolled into one
// step per output value. Each channel is pooled on its own, so the depth stays the same. The
// final output comes from @convoy/ops maxPool2d, and a test checks that the steps agree with it.

import { maxPool2d } from '@convoy/ops';
import { tensor } from '@convoy/tensor';
import type { Matrix } from './textbook-example.js';

export interface PoolSettings {
  /** The pooling window is size×size; the chapter uses 2. */
  size: number;
  /** The chapter uses the window size: windows side by side, not overlapping. */
  stride: number;
}

export interface PoolStep {
  channel: number;
  row: number;
  col: number;
  /** Top-left corner of the window in the input. */
  top: number;
  left: number;
  window: Matrix;
  max: number;
  /** Every output channel after this step; values not computed yet are null. */
  partialOutput: (number | null)[][][];
}

export interface PoolWalkthrough {
  outHeight: number;
  outWidth: number;
  steps: PoolStep[];
  /** maxPool2d's answer, one matrix per channel. */
  result: Matrix[];
}

/** Output size along one axis of a pooling without padding: floor((N - K) / S) + 1. */
export function poolOutputSize(size: number, window: number, stride: number): number {
  return Math.floor((size - window) / stride) + 1;
}

/** maxPool2d from @convoy/ops over channels of equal size, one matrix per channel. */
export function maxPoolChannels(channels: readonly Matrix[], settings: PoolSettings): Matrix[] {
  const [height, width, depth] = [channels[0]!.length, channels[0]![0]!.length, channels.length];
  const values: number[] = [];
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++)
      for (let d = 0; d < depth; d++) values.push(channels[d]![r]![c]!);
  }
  const y = maxPool2d(tensor(values, [1, height, width, depth]), {
    poolSize: settings.size,
    strides: settings.stride,
  });
  const [, outHeight, outWidth] = y.shape as [number, number, number, number];
  return channels.map((_, d) =>
    Array.from({ length: outHeight }, (_, r) =>
      Array.from({ length: outWidth }, (_, c) => y.data[(r * outWidth + c) * depth + d]!),
    ),
  );
}

export function walkMaxPool(channels: readonly Matrix[], settings: PoolSettings): PoolWalkthrough {
  const height = channels[0]?.length ?? 0;
  const width = channels[0]?.[0]?.length ?? 0;
  if (
    height === 0 ||
    width === 0 ||
    channels.some((m) => m.length !== height || m.some((row) => row.length !== width))
  ) {
    throw new RangeError('explainer: pooling needs channels of the same non-empty size');
  }
  const { size, stride } = settings;
  if (!Number.isInteger(size) || size < 1 || !Number.isInteger(stride) || stride < 1) {
    throw new RangeError(
      `explainer: the pooling size and stride must be positive integers, got ${size} and ${stride}`,
    );
  }
  const outHeight = poolOutputSize(height, size, stride);
  const outWidth = poolOutputSize(width, size, stride);
  if (outHeight < 1 || outWidth < 1) {
    throw new RangeError(
      `explainer: a ${size}×${size} pool does not fit a ${height}×${width} input`,
    );
  }
  const partial = channels.map(() =>
    Array.from({ length: outHeight }, () => new Array<number | null>(outWidth).fill(null)),
  );
  const steps: PoolStep[] = [];
  channels.forEach((input, channel) => {
    for (let row = 0; row < outHeight; row++) {
      for (let col = 0; col < outWidth; col++) {
        const top = row * stride;
        const left = col * stride;
        const window = input.slice(top, top + size).map((r) => r.slice(left, left + size));
        const max = Math.max(...window.flat());
        partial[channel]![row]![col] = max;
        steps.push({
          channel,
          row,
          col,
          top,
          left,
          window,
          max,
          partialOutput: partial.map((m) => m.map((r) => [...r])),
        });
      }
    }
  });
  return { outHeight, outWidth, steps, result: maxPoolChannels(channels, settings) };
}
