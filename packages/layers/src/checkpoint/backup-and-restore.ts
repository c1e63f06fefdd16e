// The BackupAndRestore callback (Keras's `keras.callbacks.BackupAndRestore(backup_dir,
// save_freq="epoch", delete_checkpoint=True)`): backs the run up every epoch, every N steps or
// every N seconds, and when fit starts with a backup present, continues the run it holds. Unlike
// Keras, which restarts the interrupted epoch, the run resumes at the very step it was saved
// after — same order, same running sums, same dropout masks — so the weights and history come
// out as if it had never stopped. A fit that ends (its epochs done, or stopped by a callback)
// deletes the backup unless deleteCheckpoint is false; one that throws or is killed keeps it.

import type { Callback, FitRun } from '../callbacks.js';
import type { Model } from '../model.js';
import type { TrainingSnapshot } from '../training-state.js';
import { decodeCheckpoint, encodeCheckpoint } from './format.js';

/** Where backups live: a file system directory (Node), or anything that keeps bytes. */
export interface CheckpointStore {
  /** Names the backup in errors and messages (a path). */
  readonly description: string;
  read(): Promise<Uint8Array | undefined>;
  /** Replaces the backup atomically: a reader sees the old bytes or the new ones. */
  write(bytes: Uint8Array): Promise<void>;
  remove(): Promise<void>;
}

export interface BackupAndRestoreOptions {
  /** Directory for the backup (Node): `<backupDir>/checkpoint.ckpt`. Or give `store`. */
  backupDir?: string;
  store?: CheckpointStore;
  /** 'epoch' (default): at every epoch's end; a number: after every that many steps. */
  saveFreq?: 'epoch' | number;
  /** Also back up when this many seconds have passed since the last backup (at a step's end). */
  saveEverySeconds?: number;
  /** Delete the backup when fit ends normally (default true, as Keras). */
  deleteCheckpoint?: boolean;
}

export const BACKUP_FILE = 'checkpoint.ckpt';

export class BackupAndRestore implements Callback {
  readonly store: CheckpointStore;
  readonly saveFreq: 'epoch' | number;
  readonly saveEverySeconds: number | undefined;
  readonly deleteCheckpoint: boolean;
  /** Backups written by this callback so far. */
  saves = 0;
  /** Where the last fit resumed (epoch and step), or undefined when it started afresh. */
  restoredFrom: { epoch: number; step: number } | undefined;
  private run: FitRun | undefined;
  private stepsSinceSave = 0;
  private lastSave = 0;

  constructor(options: BackupAndRestoreOptions) {
    const store = options.store ?? (options.backupDir ? directoryStore(options.backupDir) : null);
    if (!store) throw new TypeError('BackupAndRestore: give backupDir (a directory) or a store');
    const saveFreq = options.saveFreq ?? 'epoch';
    if (saveFreq !== 'epoch' && !(Number.isSafeInteger(saveFreq) && saveFreq > 0))
      throw new RangeError(
        `BackupAndRestore: saveFreq must be 'epoch' or a positive whole number of steps, got ${String(saveFreq)}`,
      );
    const seconds = options.saveEverySeconds;
    if (seconds !== undefined && !(seconds > 0 && Number.isFinite(seconds)))
      throw new RangeError(
        `BackupAndRestore: saveEverySeconds must be a positive number, got ${String(seconds)}`,
      );
    this.store = store;
    this.saveFreq = saveFreq;
    this.saveEverySeconds = seconds;
    this.deleteCheckpoint = options.deleteCheckpoint ?? true;
  }

  async onTrainRestore(model: Model): Promise<TrainingSnapshot | undefined> {
    this.restoredFrom = undefined;
    const bytes = await this.store.read();
    if (!bytes) return undefined;
    const checkpoint = await decodeCheckpoint(bytes, this.store.description);
    checkpoint.restoreInto(model);
    this.restoredFrom = {
      epoch: checkpoint.training.position.epoch,
      step: checkpoint.training.position.step,
    };
    return checkpoint.training;
  }

  onTrainBegin(_logs: unknown, run: FitRun): void {
    this.run = run;
    this.stepsSinceSave = 0;
    this.lastSave = performance.now();
  }

  async onBatchEnd(): Promise<void> {
    this.stepsSinceSave += 1;
    const byCount = typeof this.saveFreq === 'number' && this.stepsSinceSave >= this.saveFreq;
    const byTime =
      this.saveEverySeconds !== undefined &&
      performance.now() - this.lastSave >= this.saveEverySeconds * 1000;
    if (byCount || byTime) await this.save();
  }

  async onEpochEnd(): Promise<void> {
    if (this.saveFreq === 'epoch') await this.save();
  }

  async onTrainEnd(): Promise<void> {
    if (this.deleteCheckpoint) await this.store.remove();
    this.run = undefined;
  }

  /** Backs the run up now (between two steps, where the hooks run). */
  async save(): Promise<void> {
    const run = this.run;
    if (!run) throw new Error('BackupAndRestore.save: no fit is running with this callback');
    await this.store.write(await encodeCheckpoint(run.model, run.snapshot()));
    this.saves += 1;
    this.stepsSinceSave = 0;
    this.lastSave = performance.now();
  }
}

/** Keras's BackupAndRestore callback (see BackupAndRestore). */
export function backupAndRestore(options: BackupAndRestoreOptions): BackupAndRestore {
  return new BackupAndRestore(options);
}

/** `<dir>/checkpoint.ckpt` on a Node file system, replaced atomically and durably. */
export function directoryStore(dir: string): CheckpointStore {
  const path = `${dir.replace(/[\\/]+$/, '')}/${BACKUP_FILE}`;
  return {
    description: path,
    async read() {
      const { readFileIfPresent } = await import('./file.js');
      return readFileIfPresent(path);
    },
    async write(bytes) {
      const { mkdir } = await import('node:fs/promises');
      const { writeFileDurably } = await import('./file.js');
      await mkdir(dir, { recursive: true });
      await writeFileDurably(path, bytes);
    },
    async remove() {
      const { rm } = await import('node:fs/promises');
      await rm(path, { force: true });
    },
  };
}
