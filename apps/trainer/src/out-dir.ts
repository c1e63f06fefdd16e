// --out is checked before any data is loaded or step is taken: a directory that cannot be made,
// is a file, or cannot be written to is an error now, not after an hour of training when the
// first checkpoint or the final model is written.

import { randomBytes } from 'node:crypto';
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

function reason(error: unknown): string {
  const { code, message } = error as NodeJS.ErrnoException;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EROFS') return 'the file system is read-only';
  if (code === 'ENOTDIR') return 'a part of the path is a file, not a directory';
  if (code === 'ENOSPC') return 'no space left on the device';
  return message;
}

/** Makes `outDir` if needed and proves a file can be written there; throws a clear error if not. */
export async function checkOutDir(outDir: string, options: { resume: boolean }): Promise<void> {
  const info = await stat(outDir).catch(() => undefined);
  if (info && !info.isDirectory())
    throw new Error(
      `--out ${outDir}: is a file, not a directory; choose a directory for the run's outputs`,
    );
  if (!info && options.resume)
    throw new Error(
      `--out ${outDir}: does not exist, so there is no checkpoint to resume; run without --resume to start afresh, or point --out at the run to continue`,
    );
  try {
    await mkdir(outDir, { recursive: true });
  } catch (error) {
    throw new Error(`--out ${outDir}: cannot create the directory (${reason(error)})`, {
      cause: error,
    });
  }
  const probe = join(outDir, `.convoy-train-write-test-${randomBytes(4).toString('hex')}`);
  try {
    await writeFile(probe, '');
  } catch (error) {
    throw new Error(
      `--out ${outDir}: cannot write into the directory (${reason(error)}); the checkpoints and the model go there`,
      { cause: error },
    );
  } finally {
    await rm(probe, { force: true });
  }
}
