// loadImageFolder (Keras's image_dataset_from_directory / torchvision's ImageFolder counterpart)
// and exportImageFolder, on small folders written by the tests: classes, labels, sizes, colour
// modes, the seeded split, skipped files, clear errors, and an exact round trip.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tensor } from '@convoy/tensor';
import { encode as encodePng } from 'fast-png';
import jpeg from 'jpeg-js';
import { afterEach, describe, expect, it } from 'vitest';
import {
  classFolderName,
  exportImageFolder,
  type LoadProgress,
  loadImageFolder,
} from '../src/index.js';
import { removeDir, tempDir } from './fixtures.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) removeDir(dir);
});

function folder(): string {
  const dir = tempDir('convoy-image-folder-');
  dirs.push(dir);
  return dir;
}

function grayPng(width: number, height: number, value: number): Uint8Array {
  return encodePng({
    width,
    height,
    channels: 1,
    depth: 8,
    data: new Uint8Array(width * height).fill(value),
  });
}

function rgbJpeg(width: number, height: number, rgb: [number, number, number]): Uint8Array {
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) data.set([...rgb, 255], i * 4);
  return new Uint8Array(jpeg.encode({ width, height, data }, 100).data);
}

/** cats: 3 gray PNGs (values 10, 20, 30), dogs: 2 red JPEGs, plus files that are not images. */
function petFolder(): string {
  const dir = folder();
  mkdirSync(join(dir, 'cats'));
  mkdirSync(join(dir, 'dogs'));
  mkdirSync(join(dir, '.hidden'));
  for (const [i, value] of [10, 20, 30].entries())
    writeFileSync(join(dir, 'cats', `c${i}.png`), grayPng(4, 4, value));
  writeFileSync(join(dir, 'dogs', 'd0.JPG'), rgbJpeg(8, 8, [250, 0, 0]));
  writeFileSync(join(dir, 'dogs', 'd1.jpeg'), rgbJpeg(8, 8, [250, 0, 0]));
  writeFileSync(join(dir, 'dogs', 'notes.txt'), 'not an image');
  writeFileSync(join(dir, 'README.md'), 'a file beside the class folders');
  return dir;
}

const quiet = { onProgress: false } as const;

describe('loadImageFolder', () => {
  it('labels each subfolder in sorted order, skips other files, resizes and converts to gray', async () => {
    const data = await loadImageFolder(petFolder(), {
      imageSize: [4, 4],
      colorMode: 'grayscale',
      shuffle: false,
      ...quiet,
    });
    expect(data.classNames).toEqual(['cats', 'dogs']);
    expect(data.imageShape).toEqual([4, 4, 1]);
    expect(data.train.images.shape).toEqual([5, 4, 4, 1]);
    expect(data.train.files).toEqual([
      'cats/c0.png',
      'cats/c1.png',
      'cats/c2.png',
      'dogs/d0.JPG',
      'dogs/d1.jpeg',
    ]);
    expect([...data.train.labels.data]).toEqual([0, 0, 0, 1, 1]);
    expect(data.train.images.data[0]).toBeCloseTo(10 / 255, 6);
    expect(data.train.images.data[16 * 2]).toBeCloseTo(30 / 255, 6);
    // Red 250 through the JPEG codec and PIL's luma: about (19595 * 250) >> 16 = 75.
    expect(data.train.images.data[16 * 3]! * 255).toBeGreaterThan(70);
    expect(data.train.images.data[16 * 3]! * 255).toBeLessThan(80);
    expect(data.validation).toBeUndefined();
  });

  it('gives RGB by default and raw 0..255 values with normalize: false', async () => {
    const data = await loadImageFolder(petFolder(), {
      imageSize: [2, 3],
      shuffle: false,
      normalize: false,
      ...quiet,
    });
    expect(data.train.images.shape).toEqual([5, 2, 3, 3]);
    expect([...data.train.images.data.subarray(0, 3)]).toEqual([10, 10, 10]);
  });

  it('splits with a seed as Keras does: shuffled, the last fraction for validation', async () => {
    const dir = folder();
    for (const name of ['a', 'b']) {
      mkdirSync(join(dir, name));
      for (let i = 0; i < 10; i++) writeFileSync(join(dir, name, `${i}.png`), grayPng(2, 2, i));
    }
    const load = (seed: number) =>
      loadImageFolder(dir, { colorMode: 'grayscale', validationSplit: 0.25, seed, ...quiet });
    const first = await load(1);
    const again = await load(1);
    const other = await load(2);
    expect(first.train.files.length).toBe(15);
    expect(first.validation!.files.length).toBe(5);
    expect(again.validation!.files).toEqual(first.validation!.files);
    expect(other.validation!.files).not.toEqual(first.validation!.files);
    const all = [...first.train.files, ...first.validation!.files].sort();
    expect(new Set(all).size).toBe(20);
    // Each label still belongs to its own file after the shuffle.
    first.validation!.files.forEach((file, i) => {
      expect(first.validation!.labels.data[i]).toBe(file.startsWith('a/') ? 0 : 1);
    });
  });

  it('loads only the classes asked for, in the order asked', async () => {
    const data = await loadImageFolder(petFolder(), {
      classNames: ['dogs'],
      imageSize: [8, 8],
      ...quiet,
    });
    expect(data.classNames).toEqual(['dogs']);
    expect(data.train.images.shape).toEqual([2, 8, 8, 3]);
  });

  it('reports progress from 0 to the file count', async () => {
    const seen: LoadProgress[] = [];
    await loadImageFolder(petFolder(), { imageSize: [4, 4], onProgress: (p) => seen.push(p) });
    expect(seen[0]).toEqual({ done: 0, total: 5, what: 'loading images' });
    expect(seen.at(-1)).toEqual({ done: 5, total: 5, what: 'loading images' });
  });

  it('says what was expected and what came', async () => {
    await expect(loadImageFolder(join(folder(), 'missing'), quiet)).rejects.toThrow(
      /loadImageFolder: cannot read the folder .*missing/,
    );
    await expect(loadImageFolder(folder(), quiet)).rejects.toThrow(
      /has no subfolders; expected one subfolder per class/,
    );
    await expect(loadImageFolder(petFolder(), { shuffle: false, ...quiet })).rejects.toThrow(
      /the images differ in size \(cats\/c0\.png is 4x4, dogs\/d0\.JPG is 8x8\); pass imageSize/,
    );
    await expect(loadImageFolder(petFolder(), { validationSplit: 1, ...quiet })).rejects.toThrow(
      'loadImageFolder: validationSplit must be in [0, 1), got 1',
    );
    await expect(loadImageFolder(petFolder(), { classNames: ['birds'], ...quiet })).rejects.toThrow(
      /classNames birds have no subfolder in .* \(it has: cats, dogs\)/,
    );
    const broken = petFolder();
    writeFileSync(join(broken, 'cats', 'c9.png'), 'this is no picture');
    await expect(loadImageFolder(broken, { imageSize: [4, 4], ...quiet })).rejects.toThrow(
      /decodeImage: .*cats\/c9\.png is neither PNG/,
    );
  });
});

describe('exportImageFolder', () => {
  it('names class folders so that sorting keeps label order', () => {
    expect(classFolderName(0, ['T-shirt/top', 'Trouser'])).toBe('0-T-shirt_top');
    const eleven = Array.from({ length: 11 }, (_, i) => `c${i}`);
    expect(classFolderName(3, eleven)).toBe('03-c3');
  });

  it('writes PNGs that load back to the same pixels and labels', async () => {
    const images = tensor(
      Array.from({ length: 3 * 2 * 2 }, (_, i) => i * 20),
      [3, 2, 2],
      'uint8',
    );
    const labels = tensor([1, 0, 1], [3], 'uint8');
    const dir = folder();
    const written = await exportImageFolder(images, labels, dir, { classNames: ['zero', 'one'] });
    expect(written).toBe(3);
    const back = await loadImageFolder(dir, {
      colorMode: 'grayscale',
      shuffle: false,
      normalize: false,
      ...quiet,
    });
    expect(back.classNames).toEqual(['0-zero', '1-one']);
    expect(back.train.files).toEqual(['0-zero/1.png', '1-one/0.png', '1-one/2.png']);
    expect([...back.train.labels.data]).toEqual([0, 1, 1]);
    expect([...back.train.images.data]).toEqual([
      80, 100, 120, 140, 0, 20, 40, 60, 160, 180, 200, 220,
    ]);
  });

  it('refuses labels without a class name', async () => {
    await expect(
      exportImageFolder(
        tensor([0, 0, 0, 0], [1, 2, 2], 'uint8'),
        tensor([5], [1], 'uint8'),
        folder(),
        {
          classNames: ['a'],
        },
      ),
    ).rejects.toThrow('exportImageFolder: label 5 of image 0 has no class name (1 names)');
  });
});
