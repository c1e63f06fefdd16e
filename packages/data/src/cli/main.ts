// convoy-data: the data package's command line. `export` writes Fashion-MNIST (from the IDX files,
// found as loadFashionMnist finds them) as an image folder, one PNG per image, so the image-folder
// path can be tried and tested on real data. Exported as runDataCli so tests run it in-process.

import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Tensor } from '@convoy/tensor';
import { exportImageFolder } from '../node/export-folder.js';
import { loadFashionMnist } from '../node/load.js';
import { type ProgressStream, progressReporter } from '../node/load-progress.js';
import { take } from '../tensors.js';

export interface DataCliIo {
  out(text: string): void;
  /** Progress and errors. */
  err: ProgressStream;
}

const HELP = `convoy-data: Convoy's datasets from the command line

Usage:
  convoy-data export --out <dir> [--data <idx dir>] [--split train|test|both] [--limit <n>]

export writes Fashion-MNIST as an image folder: <dir>/train/<class>/<index>.png and
<dir>/test/<class>/<index>.png, 28x28 gray PNGs, one subfolder per class named "<label>-<name>"
(0-T-shirt_top, 1-Trouser, ..., 9-Ankle_boot) so that sorting the folder names keeps the labels'
order. Image files are numbered by their position in the IDX file. loadImageFolder (and
convoy-train --data <dir>) read it back; so do Keras's image_dataset_from_directory and
torchvision's ImageFolder.

Options:
  --out <dir>       where to write (created if missing)
  --data <dir>      directory with the four Fashion-MNIST .gz files (default: the loader's search:
                    $CONVOY_FASHION_MNIST_DIR, the user cache, /usr/share/datasets/fashion-mnist,
                    then the official mirror)
  --split <which>   train, test or both (default both)
  --limit <n>       only the first n images of each split
  -q, --quiet       no progress
  -h, --help        this help
`;

class UsageError extends Error {}

export async function runDataCli(argv: readonly string[], io: DataCliIo): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      io.out(HELP);
      return command === undefined ? 2 : 0;
    }
    if (command === 'export') return await runExport(rest, io);
    throw new UsageError(`unknown command '${command}'; expected export (see --help)`);
  } catch (error) {
    const usage =
      error instanceof UsageError ||
      String((error as { code?: unknown })?.code).startsWith('ERR_PARSE_ARGS');
    io.err.write(`convoy-data: ${(error as Error).message}\n`);
    return usage ? 2 : 1;
  }
}

async function runExport(argv: readonly string[], io: DataCliIo): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      out: { type: 'string', short: 'o' },
      data: { type: 'string' },
      split: { type: 'string', default: 'both' },
      limit: { type: 'string' },
      quiet: { type: 'boolean', short: 'q', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.out(HELP);
    return 0;
  }
  if (!values.out) throw new UsageError('export needs --out <dir>');
  const splits = values.split === 'both' ? (['train', 'test'] as const) : ([values.split] as const);
  for (const split of splits)
    if (split !== 'train' && split !== 'test')
      throw new UsageError(`--split must be train, test or both, got '${split}'`);
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  if (limit !== undefined && !(Number.isSafeInteger(limit) && limit > 0))
    throw new UsageError(`--limit must be a positive integer, got '${values.limit}'`);

  const dataset = await loadFashionMnist(values.data === undefined ? {} : { dir: values.data });
  const report = values.quiet ? undefined : progressReporter(io.err);
  for (const split of splits as readonly ('train' | 'test')[]) {
    const { images, labels } = dataset[split];
    const count = Math.min(limit ?? images.shape[0]!, images.shape[0]!);
    const dir = join(values.out, split);
    const written = await exportImageFolder(
      take(images as Tensor, count),
      take(labels as Tensor, count),
      dir,
      { classNames: dataset.classNames, ...(report ? { onProgress: report } : {}) },
    );
    io.out(`wrote ${written} images of ${dataset.classNames.length} classes to ${dir}\n`);
  }
  return 0;
}
