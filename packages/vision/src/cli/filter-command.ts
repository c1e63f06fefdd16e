// `convoy-vision filter`: the chapter's 517_1 / 517_2 pipeline on a PNG, with a timing line per
// stage on stderr (and a "working" line before the slow stages of large pictures).

import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { createExecutor, type Executor } from '@convoy/ops';
import { tensor } from '@convoy/tensor';
import { figure, figureSvg } from '../figure.js';
import { BAND_MIN_PIXELS, filter2d } from '../filter.js';
import { toGray } from '../gray.js';
import { colorChannels, type Image, pixelTypeOf } from '../image.js';
import { getKernel, type Kernel, kernelNames, kernelSize, parseKernel } from '../kernels.js';
import { assertPaddingMode } from '../padding.js';
import { readPng, writePng } from '../png.js';
import { maxPool } from '../pooling.js';
import { loadSample } from '../sample.js';
import { FILTER_HELP } from './help.js';
import { CliError, type CliIo, elapsed, writeFileAtomic } from './io.js';

/** Pictures at least this large get a line before each slow stage, not only after it. */
const LARGE_PIXELS = 2_000_000;

export async function runFilter(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: {
      kernel: { type: 'string', short: 'k', default: 'edge' },
      padding: { type: 'string', short: 'p', default: 'zero' },
      pool: { type: 'string' },
      figure: { type: 'boolean', short: 'f', default: false },
      color: { type: 'boolean', default: false },
      workers: { type: 'string', short: 'w', default: 'auto' },
      output: { type: 'string', short: 'o' },
      quiet: { type: 'boolean', short: 'q', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    allowPositionals: true,
  });
  if (values.help) {
    io.out(FILTER_HELP);
    return 0;
  }
  if (positionals.length > 1) {
    throw new CliError(
      `filter takes one input picture, got ${positionals.length}: ${positionals.join(' ')}`,
    );
  }
  const kernel = resolveKernel(values.kernel);
  const padding = values.padding;
  try {
    assertPaddingMode(padding, 'filter');
  } catch (error) {
    throw new CliError((error as Error).message.replace(/^filter: /, '--'));
  }
  const poolSize = values.pool === undefined ? undefined : positiveInteger(values.pool, '--pool');
  const output = values.output ?? `${kernel.name}${values.figure ? '-figure' : ''}.png`;
  const log = (text: string): void => {
    if (!values.quiet) io.err(`${text}\n`);
  };

  let start = performance.now();
  const input = positionals[0];
  const picture = input === undefined ? await loadSample() : await readPng(input);
  log(
    `read ${input ?? 'the sample cube'}: ${picture.width}x${picture.height} ${describeChannels(picture)} ${pixelTypeOf(picture.data) === 'uint16' ? 16 : 8}-bit (${elapsed(start)})`,
  );
  const pixels = picture.width * picture.height;
  const large = pixels >= LARGE_PIXELS;

  start = performance.now();
  const source = values.color ? picture : toGray(picture);
  if (!values.color) log(`gray: OpenCV's BT.601 fixed-point weights (${elapsed(start)})`);

  const workers = resolveWorkers(values.workers, pixels);
  const executor = createExecutor({ workers });
  let filtered: Image;
  try {
    if (workers > 1) {
      start = performance.now();
      await warmUp(executor, workers);
      log(`started ${workers} worker threads (${elapsed(start)})`);
    }
    const [kh, kw] = kernelSize(kernel);
    const what = `filter ${kernel.name} ${kh}x${kw}, ${padding} padding, ${workers === 1 ? '1 thread' : `${workers} workers`}`;
    if (large) log(`${what}: working on ${(pixels / 1e6).toFixed(1)} megapixels...`);
    start = performance.now();
    filtered = await filter2d(source, kernel, { padding, executor });
    log(`${what} (${elapsed(start)})`);
  } finally {
    await executor.close();
  }

  let pooled: Image | undefined;
  if (poolSize !== undefined) {
    start = performance.now();
    pooled = maxPool(filtered, { size: poolSize });
    log(`max pool ${poolSize}x${poolSize}: ${pooled.width}x${pooled.height} (${elapsed(start)})`);
  }

  start = performance.now();
  let result: Image;
  if (values.figure) {
    const panels = [source, filtered, ...(pooled ? [pooled] : [])];
    const labels = [
      values.color ? 'color' : 'gray',
      'convolution',
      ...(pooled ? ['max_pooled'] : []),
    ];
    if (large) log(`figure: laying out ${panels.length} panels...`);
    if (output.toLowerCase().endsWith('.svg')) {
      // The figure as the SVG document itself: panels embedded as PNGs, labels as text.
      const svg = figureSvg(panels, { labels });
      log(`figure: ${labels.join(' | ')}, SVG (${elapsed(start)})`);
      start = performance.now();
      await writeFileAtomic(output, svg);
      log(`wrote ${output} (${elapsed(start)})`);
      return 0;
    }
    result = await figure(panels, { labels });
    log(`figure: ${labels.join(' | ')}, ${result.width}x${result.height} (${elapsed(start)})`);
  } else {
    result = pooled ?? filtered;
  }
  start = performance.now();
  await writePng(output, result);
  log(`wrote ${output} (${elapsed(start)})`);
  return 0;
}

/**
 * Threads start (and, from source, compile their code) on their first task, which would otherwise
 * be counted as filtering time. One small convolution with an item per worker, big enough to be
 * split (the executor runs calls under INLINE_FLOP_THRESHOLD, 8 MFLOP, inline: this one is
 * 2 · 512² · 9 ≈ 4.7 MFLOP per worker, 9.4 MFLOP for two), starts them all.
 */
async function warmUp(executor: Executor, workers: number): Promise<void> {
  const side = 512;
  const x = tensor(new Float32Array(workers * side * side), [workers, side, side, 1], 'float32');
  await executor.run('conv2d', x, tensor(new Float32Array(9), [3, 3, 1, 1], 'float32'));
}

function resolveKernel(text: string): Kernel {
  if (/[\d;,]/.test(text) && !kernelNames().includes(text.toLowerCase())) {
    try {
      return parseKernel(text);
    } catch (error) {
      throw new CliError(`--kernel: ${(error as Error).message}`);
    }
  }
  try {
    return getKernel(text);
  } catch (error) {
    throw new CliError(`--kernel: ${(error as Error).message.replace(/^getKernel: /, '')}`);
  }
}

/**
 * Under tsx (no build) every worker compiles the ops sources as it starts, about 2 s here, which is
 * more than the workers save on one picture; built, a worker starts in tens of milliseconds.
 */
const RUNNING_FROM_SOURCE = import.meta.url.endsWith('.ts');

function resolveWorkers(text: string, pixels: number): number {
  if (text === 'auto') {
    return pixels >= BAND_MIN_PIXELS && !RUNNING_FROM_SOURCE ? availableParallelism() : 1;
  }
  return positiveInteger(text, '--workers');
}

function positiveInteger(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new CliError(`${flag} must be a positive integer, got '${text}'`);
  }
  return value;
}

function describeChannels(image: Image): string {
  const alpha = image.channels === 2 || image.channels === 4 ? '+alpha' : '';
  return `${colorChannels(image.channels) === 1 ? 'gray' : 'RGB'}${alpha}`;
}
