// filter2d: classic image filtering computed by @convoy/ops conv2d (no second convolution here).
// The synchronous form runs on this thread; the async form takes an executor (or a worker count)
// so a large picture is split into bands across worker threads.

import { conv2d, createExecutor, type Executor, inlineExecutor } from '@convoy/ops';
import { planFilter } from './filter-plan.js';
import type { Image } from './image.js';
import { getKernel, type Kernel } from './kernels.js';
import type { PaddingMode } from './padding.js';

export interface Filter2dOptions {
  /** What the kernel sees beyond the border: 'zero' (default, the chapter's), 'replicate', 'reflect'. */
  padding?: PaddingMode;
  /**
   * Clip to the pixel range and keep the pixel type (default true): uint8 results are clipped to
   * 0..255 and truncated toward zero, exactly as the chapter's uint8 `convolution` array stores
   * them. With false the result is a float32 image of the raw weighted sums.
   */
  clip?: boolean;
}

export interface Filter2dAsyncOptions extends Filter2dOptions {
  /** Run on this executor (inline or worker threads); the caller owns it and closes it. */
  executor?: Executor;
  /** Or: make an executor of this many threads for this call only (closed afterwards). */
  workers?: number;
  /**
   * Horizontal bands per channel. Default: one per worker when the executor has several and the
   * image has at least BAND_MIN_PIXELS pixels, else 1.
   */
  bands?: number;
}

/**
 * Below this many pixels an image stays one band. A worker executor runs a conv2d call of fewer than
 * INLINE_FLOP_THRESHOLD operations (@convoy/ops's default, 8 MFLOP) on the calling thread anyway,
 * and a k×k filter over an H×W picture with C colour channels costs 2·H·W·C·k·k operations (one
 * output channel per colour channel). Below 512×512 a 3×3 filter is under 4.7 MFLOP per channel:
 * a gray picture stays inline, so bands would buy nothing, and a colour picture's channels are
 * already batch items the executor can split. Larger kernels cross the threshold sooner (5×5 on a
 * gray picture from 400×400); pass `bands` for those.
 */
export const BAND_MIN_PIXELS = 512 * 512;

/** Bands per channel filter2d uses by default: one per worker for large pictures, else 1. */
export function defaultBands(workers: number, width: number, height: number): number {
  return workers > 1 && width * height >= BAND_MIN_PIXELS ? workers : 1;
}

function resolveKernel(kernel: Kernel | string): Kernel {
  return typeof kernel === 'string' ? getKernel(kernel) : kernel;
}

/** Filters every colour channel of an image with a kernel on this thread (alpha is kept). */
export function filter2dSync(
  image: Image,
  kernel: Kernel | string,
  options: Filter2dOptions = {},
): Image {
  const plan = planFilter(
    image,
    resolveKernel(kernel),
    { padding: options.padding ?? 'zero', clip: options.clip ?? true, bands: 1 },
    'filter2d',
  );
  return plan.finish(conv2d(plan.x, plan.filter, { padding: 'valid' }));
}

/**
 * Filters every colour channel of an image with a kernel (alpha is kept), on an executor. Gives
 * exactly the same pixels as filter2dSync whatever the executor or the number of bands.
 */
export async function filter2d(
  image: Image,
  kernel: Kernel | string,
  options: Filter2dAsyncOptions = {},
): Promise<Image> {
  if (options.executor && options.workers !== undefined) {
    throw new RangeError('filter2d: pass either executor or workers, not both');
  }
  const own =
    options.workers !== undefined ? createExecutor({ workers: options.workers }) : undefined;
  const executor = options.executor ?? own ?? inlineExecutor();
  try {
    const bands =
      options.bands ?? defaultBands(executor.workers, image?.width ?? 0, image?.height ?? 0);
    if (!Number.isSafeInteger(bands) || bands < 1) {
      throw new RangeError(`filter2d: bands must be a positive integer, got ${String(bands)}`);
    }
    const plan = planFilter(
      image,
      resolveKernel(kernel),
      {
        padding: options.padding ?? 'zero',
        clip: options.clip ?? true,
        bands,
      },
      'filter2d',
    );
    return plan.finish(await executor.run('conv2d', plan.x, plan.filter, { padding: 'valid' }));
  } finally {
    await own?.close();
  }
}
