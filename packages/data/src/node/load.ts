// loadFashionMnist for Node: looks for the four .gz files in a fixed order of places, and only
// when none has them downloads them from the mirror into the user cache. When everything fails,
// the error lists every place tried and how to get the data.

import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  assembleFashionMnist,
  FASHION_MNIST_FILES,
  FASHION_MNIST_MIRROR,
  type FashionMnist,
  type FashionMnistBytes,
  type FashionMnistFileKey,
} from '../fashion-mnist.js';
import { type DownloadProgress, describeError, type ProgressCallback } from '../progress.js';
import { type Environment, userCacheDir } from './cache-dir.js';
import { downloadVerified } from './download.js';
import { gunzipNode } from './gunzip.js';

/** The environment variable naming a directory that holds the four files. */
export const FASHION_MNIST_DIR_ENV = 'CONVOY_FASHION_MNIST_DIR';

/** Where Debian's `dataset-fashion-mnist` package installs the files. */
export const DEBIAN_FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

export interface LoadFashionMnistOptions {
  /** A directory holding the four .gz files; looked at first. */
  dir?: string;
  /** The environment to read `envVar` (and XDG_CACHE_HOME for the cache) from; default process.env. */
  env?: Environment;
  /** Name of the environment variable looked at second; default CONVOY_FASHION_MNIST_DIR. */
  envVar?: string;
  /** The download cache, looked at third; default `<user cache dir>/fashion-mnist`. */
  cacheDir?: string;
  /** System-wide copies, looked at fourth; default the Debian package's directory. */
  systemDirs?: readonly string[];
  /** Download into cacheDir when no place has the files; default true. */
  download?: boolean;
  /** Base URL of the four files; default the official mirror. */
  mirrorUrl?: string;
  /** Expected MD5 of each downloaded .gz file; default the official checksums. */
  checksums?: Partial<Record<FashionMnistFileKey, string>>;
  /**
   * Also check the decompressed contents of files found on disk against the official MD5s
   * (works for recompressed copies such as Debian's). Default false: the IDX structure is
   * always checked, this adds ~0.2 s.
   */
  verify?: boolean;
  /** Download progress; default a short report on stderr. */
  onProgress?: ProgressCallback;
  /** Abandon a download when no bytes arrive for this long; default 30 s. */
  idleTimeoutMs?: number;
}

/** Thrown when no place has the files and downloading failed or was off; `tried` lists why. */
export class FashionMnistNotFoundError extends Error {
  readonly tried: readonly string[];
  constructor(tried: string[], howTo: string) {
    const fileList = FASHION_MNIST_FILES.map((f) => f.fileName).join(', ');
    super(
      `loadFashionMnist: could not find Fashion-MNIST (${fileList}). Tried, in order:\n` +
        `${tried.map((line, i) => `  ${i + 1}. ${line}`).join('\n')}\n${howTo}`,
    );
    this.name = 'FashionMnistNotFoundError';
    this.tried = tried;
  }
}

interface Place {
  label: string;
  dir: string | undefined;
  why?: string;
}

/** The file names missing from `dir`, or a reason it cannot be used. */
async function missingFiles(dir: string): Promise<{ missing: string[]; problem?: string }> {
  try {
    if (!(await stat(dir)).isDirectory()) return { missing: [], problem: 'not a directory' };
  } catch {
    return { missing: [], problem: 'directory does not exist' };
  }
  const missing: string[] = [];
  for (const file of FASHION_MNIST_FILES) {
    const ok = await stat(join(dir, file.fileName)).then(
      (s) => s.isFile(),
      () => false,
    );
    if (!ok) missing.push(file.fileName);
  }
  return { missing };
}

async function loadFromDir(dir: string, verify: boolean): Promise<FashionMnist> {
  const entries = await Promise.all(
    FASHION_MNIST_FILES.map(async (file): Promise<[FashionMnistFileKey, Uint8Array]> => {
      const path = join(dir, file.fileName);
      const bytes = await gunzipNode(await readFile(path), `loadFashionMnist: ${path}`);
      if (verify) {
        const actual = createHash('md5').update(bytes).digest('hex');
        if (actual !== file.contentMd5) {
          throw new Error(
            `loadFashionMnist: ${path} does not hold the official data: decompressed MD5 ${actual}, expected ${file.contentMd5}`,
          );
        }
      }
      return [file.key, bytes];
    }),
  );
  return assembleFashionMnist(Object.fromEntries(entries) as FashionMnistBytes, dir);
}

function stderrProgress(): ProgressCallback {
  const lastTenth = new Map<string, number>();
  const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
  return (p: DownloadProgress) => {
    const tenth = p.totalBytes ? Math.floor((10 * p.receivedBytes) / p.totalBytes) : 0;
    if (lastTenth.get(p.fileName) === tenth && p.receivedBytes !== 0) return;
    lastTenth.set(p.fileName, tenth);
    const size =
      p.totalBytes === undefined
        ? mb(p.receivedBytes)
        : `${mb(p.receivedBytes)} / ${mb(p.totalBytes)}`;
    process.stderr.write(`Downloading ${p.url} [${p.fileIndex + 1}/${p.fileCount}] ${size}\n`);
  };
}

export async function loadFashionMnist(
  options: LoadFashionMnistOptions = {},
): Promise<FashionMnist> {
  const env = options.env ?? process.env;
  const envVar = options.envVar ?? FASHION_MNIST_DIR_ENV;
  const cacheDir = options.cacheDir ?? join(userCacheDir(env), 'fashion-mnist');
  const mirrorUrl = options.mirrorUrl ?? FASHION_MNIST_MIRROR;
  const verify = options.verify ?? false;

  const envDir = env[envVar];
  const places: Place[] = [
    options.dir === undefined
      ? { label: 'the dir option', dir: undefined, why: 'not given' }
      : { label: 'the dir option', dir: options.dir },
    envDir === undefined || envDir === ''
      ? { label: `environment variable ${envVar}`, dir: undefined, why: 'not set' }
      : { label: `environment variable ${envVar}`, dir: envDir },
    { label: 'the user cache', dir: cacheDir },
    ...(options.systemDirs ?? [DEBIAN_FASHION_MNIST_DIR]).map((dir) => ({
      label:
        dir === DEBIAN_FASHION_MNIST_DIR
          ? 'the Debian package dataset-fashion-mnist'
          : 'a system directory',
      dir,
    })),
  ];

  const tried: string[] = [];
  let cacheMissing: string[] | undefined;
  for (const place of places) {
    if (place.dir === undefined) {
      tried.push(`${place.label}: ${place.why}`);
      continue;
    }
    const { missing, problem } = await missingFiles(place.dir);
    if (problem === undefined && missing.length === 0) return loadFromDir(place.dir, verify);
    if (place.dir === cacheDir && problem === undefined) cacheMissing = missing;
    tried.push(`${place.label}: ${place.dir} (${problem ?? `missing ${missing.join(', ')}`})`);
  }

  if (options.download === false) {
    tried.push('download: turned off (download: false)');
  } else {
    const base = mirrorUrl.endsWith('/') ? mirrorUrl : `${mirrorUrl}/`;
    const toFetch = FASHION_MNIST_FILES.filter(
      (f) => cacheMissing === undefined || cacheMissing.includes(f.fileName),
    );
    const onProgress = options.onProgress ?? stderrProgress();
    try {
      // One at a time: a failure stops early, and progress reads in order.
      for (const [fileIndex, file] of toFetch.entries()) {
        await downloadVerified({
          url: `${base}${file.fileName}`,
          dir: cacheDir,
          fileName: file.fileName,
          md5: options.checksums?.[file.key] ?? file.gzipMd5,
          fileIndex,
          fileCount: toFetch.length,
          onProgress,
          idleTimeoutMs: options.idleTimeoutMs ?? 30_000,
        });
      }
      return await loadFromDir(cacheDir, verify);
    } catch (error) {
      tried.push(`download from ${base} into ${cacheDir}: ${describeError(error)}`);
    }
  }

  throw new FashionMnistNotFoundError(
    tried,
    'To get the data: on Debian or Ubuntu run `apt-get install dataset-fashion-mnist`; or download the four files from ' +
      `${FASHION_MNIST_MIRROR} into ${cacheDir} (or any directory, then pass { dir } or set ${envVar}).`,
  );
}
