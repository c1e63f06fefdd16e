// Atomic file and directory writes (write beside, then rename): an interrupted run never leaves
// a half-written history, plot or checkpoint behind.

import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** A sibling path that no other writer uses: `<dir>/.<name>.<tag>-<pid>-<random>`. */
export function siblingTempPath(path: string, tag = 'tmp'): string {
  const unique = `${process.pid}-${randomBytes(4).toString('hex')}`;
  return join(dirname(path), `.${basename(path)}.${tag}-${unique}`);
}

/** Writes a file so readers see the old content or the new, never a torn one. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = siblingTempPath(path);
  try {
    await writeFile(temporary, data);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/**
 * Fills a fresh directory with `fill(dir)` and then swaps it in place of `path`. A directory
 * cannot be renamed over a non-empty one, so the old one moves aside first; at every moment
 * `path` is either the complete old directory or the complete new one (or, for an instant
 * between two renames, absent, which readers treat as "no checkpoint").
 */
export async function replaceDirectoryAtomic(
  path: string,
  fill: (temporaryDir: string) => Promise<void>,
): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = siblingTempPath(path);
  const previous = siblingTempPath(path, 'old');
  await mkdir(temporary, { recursive: true });
  try {
    await fill(temporary);
  } catch (error) {
    await rm(temporary, { recursive: true, force: true });
    throw error;
  }
  let movedAside = false;
  try {
    await rename(path, previous);
    movedAside = true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await rename(temporary, path);
  if (movedAside) await rm(previous, { recursive: true, force: true });
}
