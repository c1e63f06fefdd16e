// exportImageFolder: images and labels written as an image folder — one subfolder per class, one
// PNG per image — the layout loadImageFolder, Keras's image_dataset_from_directory and
// torchvision's ImageFolder read. `convoy-data export` writes Fashion-MNIST this way.

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatShape, type Tensor } from '@convoy/tensor';
import { encode } from 'fast-png';
import type { LoadProgressCallback } from './load-progress.js';

export interface ExportImageFolderOptions {
  /** One name per label, label 0 first. */
  classNames: readonly string[];
  /** Progress while writing; default none. */
  onProgress?: LoadProgressCallback;
}

/**
 * The folder name of class `label`: its number, zero-padded, then its name with the characters
 * file systems refuse replaced by '_' ("T-shirt/top" -> "0-T-shirt_top"). The number keeps the
 * labels' order when a loader sorts folder names, as every image-folder loader does.
 */
export function classFolderName(label: number, classNames: readonly string[]): string {
  const digits = String(Math.max(0, classNames.length - 1)).length;
  const name = classNames[label]!.replace(/[/\\:*?"<>|\0]/g, '_');
  return `${String(label).padStart(digits, '0')}-${name}`;
}

/** How many files are written at once. */
const WRITES_IN_FLIGHT = 32;

/**
 * Writes uint8 images [n, h, w] or [n, h, w, c] (c = 1 or 3) with labels [n] under `dir`, as
 * `<class folder>/<index>.png` where index is the sample's position, zero-padded. Returns the
 * number of files written.
 */
export async function exportImageFolder(
  images: Tensor,
  labels: Tensor,
  dir: string,
  options: ExportImageFolderOptions,
): Promise<number> {
  if (images.dtype !== 'uint8' || (images.rank !== 3 && images.rank !== 4))
    throw new TypeError(
      `exportImageFolder: images must be uint8 [n, height, width] or [n, height, width, channels], got ${images.dtype} ${formatShape(images.shape)}`,
    );
  const [count, height, width] = images.shape as [number, number, number];
  const channels = images.rank === 4 ? images.shape[3]! : 1;
  if (channels !== 1 && channels !== 3)
    throw new RangeError(`exportImageFolder: images need 1 or 3 channels, got ${channels}`);
  if (labels.rank !== 1 || labels.shape[0] !== count)
    throw new RangeError(
      `exportImageFolder: expected ${count} labels [${count}], got ${formatShape(labels.shape)}`,
    );
  const { classNames } = options;
  for (let i = 0; i < count; i++) {
    const label = labels.data[i]!;
    if (!(label >= 0 && label < classNames.length))
      throw new RangeError(
        `exportImageFolder: label ${label} of image ${i} has no class name (${classNames.length} names)`,
      );
  }
  const folders = classNames.map((_, label) => join(dir, classFolderName(label, classNames)));
  for (const folder of folders) await mkdir(folder, { recursive: true });

  const digits = String(Math.max(0, count - 1)).length;
  const pixels = height * width * channels;
  const what = `writing ${dir}`;
  const inFlight = new Set<Promise<void>>();
  options.onProgress?.({ done: 0, total: count, what });
  for (let i = 0; i < count; i++) {
    const png = encode({
      width,
      height,
      channels,
      depth: 8,
      data: (images.data as Uint8Array).subarray(i * pixels, (i + 1) * pixels),
    });
    const path = join(folders[labels.data[i]!]!, `${String(i).padStart(digits, '0')}.png`);
    const write: Promise<void> = writeFile(path, png).then(() => {
      inFlight.delete(write);
    });
    inFlight.add(write);
    if (inFlight.size >= WRITES_IN_FLIGHT) await Promise.race(inFlight);
    // The last report waits for the last writes.
    if (i + 1 < count) options.onProgress?.({ done: i + 1, total: count, what });
  }
  await Promise.all(inFlight);
  options.onProgress?.({ done: count, total: count, what });
  return count;
}
