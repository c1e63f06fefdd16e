// The image-folder round trip on the real data: Fashion-MNIST written out as a folder of PNGs
// (what `convoy-data export` writes) loads back bit for bit, and the textbook's model 3 trained
// from the folder reaches the accuracy it reaches from the IDX files. The runs differ only in
// the order of the training images (the folder's files are shuffled with the seed, the IDX files
// are in their own order), so the accuracies agree to within the spread of a reordering, not to
// the last digit. Needs the Debian package dataset-fashion-mnist.

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  exportImageFolder,
  loadFashionMnist,
  loadImageFolder,
  take,
  toImageTensor,
} from '@convoy/data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTrainer } from '../src/main.js';

const REAL_DATA = '/usr/share/datasets/fashion-mnist';
/** Training images exported and trained on: enough for a stable accuracy, quick to write. */
const TRAIN_COUNT = 12_000;
/** How far two orders of the same images may land apart after one epoch (percentage points). */
const TOLERANCE_POINTS = 1.5;

let root: string;
let folder: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'convoy-round-trip-'));
  folder = join(root, 'fashion-folder');
  const data = await loadFashionMnist({ dir: REAL_DATA, download: false });
  const names = { classNames: data.classNames };
  await exportImageFolder(
    take(data.train.images, TRAIN_COUNT),
    take(data.train.labels, TRAIN_COUNT),
    join(folder, 'train'),
    names,
  );
  await exportImageFolder(data.test.images, data.test.labels, join(folder, 'test'), names);
}, 300_000);
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function testAccuracy(data: string, out: string, extra: string[] = []): Promise<number> {
  let stderr = '';
  const code = await runTrainer(
    ['--model', '3', '--epochs', '1', '--data', data, '--out', out, '--workers', '1', ...extra],
    {
      stdout: { isTTY: false, write: () => true },
      stderr: { write: (text: string) => (stderr += text) },
    },
  );
  expect(code, stderr).toBe(0);
  const history = JSON.parse(await readFile(join(out, 'history.json'), 'utf8'));
  return history.val_accuracy[0] * 100;
}

describe('image-folder round trip (real Fashion-MNIST)', () => {
  it('loads the exported test set back equal to the IDX tensors, image for image', async () => {
    const data = await loadFashionMnist({ dir: REAL_DATA, download: false });
    const expected = toImageTensor(data.test.images);
    const loaded = await loadImageFolder(join(folder, 'test'), {
      colorMode: 'grayscale',
      shuffle: false,
      onProgress: false,
    });
    expect(loaded.train.images.shape).toEqual([10_000, 28, 28, 1]);
    const pixels = 28 * 28;
    let mismatches = 0;
    loaded.train.files.forEach((file, i) => {
      // Files are named by their index in the IDX file: 0-T-shirt_top/0042.png is image 42.
      const index = Number(/(\d+)\.png$/.exec(file)![1]);
      const same =
        loaded.train.labels.data[i] === data.test.labels.data[index] &&
        Buffer.compare(
          Buffer.from(loaded.train.images.data.buffer, i * pixels * 4, pixels * 4),
          Buffer.from(expected.data.buffer, index * pixels * 4, pixels * 4),
        ) === 0;
      if (!same) mismatches++;
    });
    expect(mismatches).toBe(0);
  });

  it(`model 3 from the folder reaches the accuracy it reaches from the IDX files (±${TOLERANCE_POINTS} points)`, async () => {
    const fromIdx = await testAccuracy(REAL_DATA, join(root, 'idx-run'), [
      '--subset',
      String(TRAIN_COUNT),
    ]);
    const fromFolder = await testAccuracy(folder, join(root, 'folder-run'));
    console.log(
      `model 3, 1 epoch on ${TRAIN_COUNT} images: IDX ${fromIdx.toFixed(2)}%, folder ${fromFolder.toFixed(2)}%`,
    );
    expect(fromIdx).toBeGreaterThan(70);
    expect(Math.abs(fromFolder - fromIdx)).toBeLessThanOrEqual(TOLERANCE_POINTS);
  });
});
