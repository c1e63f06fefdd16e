// Atomic file and directory writes (write beside, then rename): an interrupted run never leaves
// a half-written history or plot behind.

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
