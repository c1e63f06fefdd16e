// loadFashionMnist looks in a fixed order: dir option, environment variable, user cache, Debian
// package directory; and when nothing has the files, says every place it tried.

import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FashionMnistNotFoundError, loadFashionMnist, userCacheDir } from '../src/index.js';
import { removeDir, tempDir, tinyFashionMnist, writeFiles } from './fixtures.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) removeDir(dir);
});

/** Four directories, each holding a tiny dataset told apart by its train size (3, 4, 5, 6). */
function setup() {
  const root = tempDir();
  dirs.push(root);
  const place = (name: string, trainCount: number) =>
    writeFiles(join(root, name), tinyFashionMnist(trainCount, 2));
  return {
    root,
    explicit: place('explicit', 3),
    fromEnv: place('env', 4),
    cache: place('cache', 5),
    system: place('system', 6),
    empty: join(root, 'nothing-here'),
  };
}

describe('loadFashionMnist search order', () => {
  it('takes the dir option first', async () => {
    const p = setup();
    const data = await loadFashionMnist({
      dir: p.explicit,
      env: { CONVOY_FASHION_MNIST_DIR: p.fromEnv },
      cacheDir: p.cache,
      systemDirs: [p.system],
      download: false,
    });
    expect(data.train.images.shape).toEqual([3, 28, 28]);
    expect(data.source).toBe(p.explicit);
  });

  it('then the CONVOY_FASHION_MNIST_DIR environment variable (or the one named by envVar)', async () => {
    const p = setup();
    const common = { cacheDir: p.cache, systemDirs: [p.system], download: false };
    const viaDefault = await loadFashionMnist({
      ...common,
      env: { CONVOY_FASHION_MNIST_DIR: p.fromEnv },
    });
    expect(viaDefault.train.images.shape[0]).toBe(4);
    const viaCustom = await loadFashionMnist({
      ...common,
      envVar: 'MY_DATA',
      env: { MY_DATA: p.fromEnv },
    });
    expect(viaCustom.train.images.shape[0]).toBe(4);
  });

  it('then the user cache, then the system directories', async () => {
    const p = setup();
    expect(
      (
        await loadFashionMnist({
          env: {},
          cacheDir: p.cache,
          systemDirs: [p.system],
          download: false,
        })
      ).source,
    ).toBe(p.cache);
    expect(
      (
        await loadFashionMnist({
          env: {},
          cacheDir: p.empty,
          systemDirs: [p.system],
          download: false,
        })
      ).source,
    ).toBe(p.system);
  });

  it('skips a place that lacks some files', async () => {
    const p = setup();
    const partial = writeFiles(join(p.root, 'partial'), tinyFashionMnist(9, 2), [
      'train-images-idx3-ubyte.gz',
    ]);
    const data = await loadFashionMnist({
      dir: partial,
      env: {},
      cacheDir: p.cache,
      download: false,
    });
    expect(data.source).toBe(p.cache);
  });

  it('lists every place tried and how to get the data when nothing works', async () => {
    const p = setup();
    const partial = writeFiles(join(p.root, 'partial'), tinyFashionMnist(1, 1), [
      't10k-labels-idx1-ubyte.gz',
    ]);
    const error = await loadFashionMnist({
      dir: partial,
      env: {},
      cacheDir: p.empty,
      systemDirs: [join(p.root, 'no-debian')],
      download: false,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FashionMnistNotFoundError);
    const message = (error as Error).message;
    expect((error as FashionMnistNotFoundError).tried).toEqual([
      `the dir option: ${partial} (missing train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz)`,
      'environment variable CONVOY_FASHION_MNIST_DIR: not set',
      `the user cache: ${p.empty} (directory does not exist)`,
      `a system directory: ${join(p.root, 'no-debian')} (directory does not exist)`,
      'download: turned off (download: false)',
    ]);
    expect(message).toContain('apt-get install dataset-fashion-mnist');
    expect(message).toContain('http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/');
    expect(message).toContain('CONVOY_FASHION_MNIST_DIR');
  });

  it('reports a failed download as the last place tried', async () => {
    const p = setup();
    const error = await loadFashionMnist({
      env: {},
      cacheDir: p.empty,
      systemDirs: [],
      mirrorUrl: 'http://127.0.0.1:9/', // the discard port: nothing listens there
      idleTimeoutMs: 2000,
      onProgress: () => {},
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FashionMnistNotFoundError);
    if (!(error instanceof FashionMnistNotFoundError)) return;
    expect(error.tried.at(-1)).toMatch(
      /^download from http:\/\/127\.0\.0\.1:9\/ into .*nothing-here: could not fetch/,
    );
  });

  it('reports a corrupt file in a place instead of skipping it', async () => {
    const p = setup();
    const files = tinyFashionMnist(2, 2);
    files['train-labels-idx1-ubyte.gz'] = Uint8Array.from([1, 2, 3]);
    const broken = writeFiles(join(p.root, 'broken'), files);
    await expect(loadFashionMnist({ dir: broken, env: {}, download: false })).rejects.toThrow(
      `loadFashionMnist: ${join(broken, 'train-labels-idx1-ubyte.gz')} is not valid gzip data`,
    );
  });

  it('with verify, refuses well-formed files whose contents are not the official data', async () => {
    const p = setup();
    await expect(
      loadFashionMnist({ dir: p.explicit, env: {}, download: false, verify: true }),
    ).rejects.toThrow(
      /does not hold the official data: decompressed MD5 [0-9a-f]{32}, expected [0-9a-f]{32}/,
    );
  });

  it('checks that images and labels agree', async () => {
    const p = setup();
    const files = tinyFashionMnist(4, 2);
    files['train-labels-idx1-ubyte.gz'] = tinyFashionMnist(3, 2)['train-labels-idx1-ubyte.gz']!;
    const mixed = writeFiles(join(p.root, 'mixed'), files);
    await expect(loadFashionMnist({ dir: mixed, env: {}, download: false })).rejects.toThrow(
      'train-images-idx3-ubyte.gz has 4 images but train-labels-idx1-ubyte.gz has 3 labels',
    );
  });
});

describe('userCacheDir', () => {
  it('follows XDG on Linux, and the platform conventions elsewhere', () => {
    expect(userCacheDir({ XDG_CACHE_HOME: '/xdg' }, 'linux', '/home/u')).toBe('/xdg/convoy');
    expect(userCacheDir({}, 'linux', '/home/u')).toBe('/home/u/.cache/convoy');
    expect(userCacheDir({ XDG_CACHE_HOME: 'relative' }, 'linux', '/home/u')).toBe(
      '/home/u/.cache/convoy',
    );
    expect(userCacheDir({}, 'darwin', '/Users/u')).toBe('/Users/u/Library/Caches/convoy');
    expect(userCacheDir({ LOCALAPPDATA: 'C:/Users/u/AppData/Local' }, 'win32', 'C:/Users/u')).toBe(
      join('C:/Users/u/AppData/Local', 'convoy', 'Cache'),
    );
  });

  it('is where loadFashionMnist caches by default', async () => {
    const root = tempDir();
    dirs.push(root);
    writeFiles(join(root, 'convoy', 'fashion-mnist'), tinyFashionMnist(2, 1));
    const data = await loadFashionMnist({
      env: { XDG_CACHE_HOME: root },
      systemDirs: [],
      download: false,
    });
    expect(data.source).toBe(join(root, 'convoy', 'fashion-mnist'));
  });
});
