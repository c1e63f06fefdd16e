// convoy-vision: the command line. `filter` reproduces the chapter's section 07 (gray -> filter ->
// max pool -> side-by-side figure) on any PNG or on the built-in sample cube; `kernels` prints the
// catalogue; `sample` writes the sample picture. Exported as runCli so tests run it in-process.

import { parseArgs } from 'node:util';
import type { Image } from '../image.js';
import { formatKernel, listKernels } from '../kernels.js';
import { writePng } from '../png.js';
import { loadSample, SAMPLE_PICTURE_URL } from '../sample.js';
import { runFilter } from './filter-command.js';
import { CliError, type CliIo } from './io.js';

export { CliError, type CliIo } from './io.js';

const MAIN_HELP = `convoy-vision: the CNN chapter's classic image filters (gray, convolution, max pooling)

Usage:
  convoy-vision filter [input.png] [options]   filter a picture (default: the sample cube)
  convoy-vision kernels                        list the named kernels with their matrices
  convoy-vision sample [-o cube.png]           write the sample picture (--width/--height tile it)
  convoy-vision <command> --help               options of a command

Example (the chapter's 517_2 figure: gray | convolution | max_pooled):
  convoy-vision filter --kernel edge --pool 2 --figure -o edge-figure.png
`;

const SAMPLE_HELP = `convoy-vision sample [-o cube.png] [--width W --height H]

Writes the built-in sample picture (a 500x500 shaded cube drawn by this package). With --width
and --height it is tiled to that size, e.g. a 4000x3000 picture for timing the worker threads.
`;

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      io.out(MAIN_HELP);
      return command === undefined ? 1 : 0;
    }
    if (command === 'filter') return await runFilter(rest, io);
    if (command === 'kernels') return runKernels(rest, io);
    if (command === 'sample') return await runSample(rest, io);
    throw new CliError(
      `unknown command '${command}'; expected filter, kernels or sample (see --help)`,
    );
  } catch (error) {
    if (error instanceof CliError || isArgumentError(error)) {
      io.err(`convoy-vision: ${(error as Error).message}\n`);
      return 2;
    }
    io.err(`convoy-vision: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

function isArgumentError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

function runKernels(argv: readonly string[], io: CliIo): number {
  const { values } = parseArgs({
    args: [...argv],
    options: { help: { type: 'boolean', short: 'h' } },
    allowPositionals: false,
  });
  if (values.help) {
    io.out('convoy-vision kernels\n\nLists every named kernel with its matrix.\n');
    return 0;
  }
  for (const kernel of listKernels()) {
    const [height, width] = [kernel.weights.length, kernel.weights[0]!.length];
    io.out(`${kernel.name} (${height}x${width}): ${kernel.description}\n`);
    io.out(`${formatKernel(kernel).replace(/^/gm, '    ')}\n\n`);
  }
  return 0;
}

async function runSample(argv: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      output: { type: 'string', short: 'o', default: 'cube.png' },
      width: { type: 'string' },
      height: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.out(SAMPLE_HELP);
    return 0;
  }
  const sample = await loadSample();
  const width = values.width === undefined ? sample.width : size(values.width, '--width');
  const height = values.height === undefined ? sample.height : size(values.height, '--height');
  const image = tile(sample, width, height);
  await writePng(values.output, image);
  io.out(
    `wrote ${values.output} (${image.width}x${image.height} RGB, from ${SAMPLE_PICTURE_URL.pathname})\n`,
  );
  return 0;
}

function size(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1 || value > 30000) {
    throw new CliError(`${flag} must be an integer from 1 to 30000, got '${text}'`);
  }
  return value;
}

/** The picture repeated to fill width x height. */
function tile(image: Image<Uint8Array>, width: number, height: number): Image<Uint8Array> {
  if (width === image.width && height === image.height) return image;
  const { channels } = image;
  const data = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    const sourceRow = (y % image.height) * image.width * channels;
    for (let x = 0; x < width; x += image.width) {
      const count = Math.min(image.width, width - x) * channels;
      data.set(image.data.subarray(sourceRow, sourceRow + count), (y * width + x) * channels);
    }
  }
  return { width, height, channels, data };
}
