// Checkpoint files on a Node file system, replaced atomically: the bytes go to a temporary file
// beside the target, are flushed to the disk (fsync), and the temporary file is renamed over the
// target. rename(2) swaps the name in one step, so a process killed at any moment leaves either
// the previous checkpoint or the new one, never a torn file and never no file; a crash of the
// machine itself finds the data on disk because it was flushed before the rename.

const TEMPORARY_TAG = '.tmp-';

/** Writes `bytes` to `path` atomically and durably (see the file's header). Node only. */
export async function writeFileDurably(path: string, bytes: Uint8Array): Promise<void> {
  const fs = await import('node:fs/promises');
  const { basename, dirname, join } = await import('node:path');
  const { randomBytes } = await import('node:crypto');
  const dir = dirname(path);
  const temporary = join(
    dir,
    `.${basename(path)}${TEMPORARY_TAG}${process.pid}-${randomBytes(4).toString('hex')}`,
  );
  const handle = await fs.open(temporary, 'w');
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await fs.rm(temporary, { force: true });
    throw error;
  }
  await handle.close();
  try {
    await fs.rename(temporary, path);
  } catch (error) {
    await fs.rm(temporary, { force: true });
    throw error;
  }
  // The rename itself is durable once the directory is flushed; some file systems refuse to
  // open a directory for that, and then the rename is still atomic, only not yet on the disk.
  try {
    const directory = await fs.open(dir, 'r');
    try {
      await directory.sync();
    } finally {
      await directory.close();
    }
  } catch {}
}

/**
 * Removes temporary files that writeFileDurably left beside `path` when its process was killed
 * before the rename. Call it only where no other process writes the same file.
 */
export async function removeStaleTemporaries(path: string): Promise<void> {
  const fs = await import('node:fs/promises');
  const { basename, dirname, join } = await import('node:path');
  const prefix = `.${basename(path)}${TEMPORARY_TAG}`;
  const entries = await fs.readdir(dirname(path)).catch(() => [] as string[]);
  await Promise.all(
    entries
      .filter((name) => name.startsWith(prefix))
      .map((name) => fs.rm(join(dirname(path), name), { force: true })),
  );
}

/** The file's bytes, or undefined when there is no such file. Node only. */
export async function readFileIfPresent(path: string): Promise<Uint8Array | undefined> {
  const fs = await import('node:fs/promises');
  try {
    const data = await fs.readFile(path);
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
}
