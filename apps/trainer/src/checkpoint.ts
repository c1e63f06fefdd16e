// The resumable checkpoint <out>/checkpoint.ckpt: one file in @convoy/layers's checkpoint format
// (model, optimizer slots and iterations, fit's TrainingSnapshot: step, shuffle RNG, running
// sums), plus the trainer's own state in its application JSON — the run settings, the epoch and
// whether its training or its test pass comes next, the epochs' records so far, and the finished
// training numbers of an epoch whose test pass was interrupted. Written by rename after fsync:
// a run killed at any moment leaves the previous checkpoint or the new one, whole.

import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  decodeCheckpoint,
  encodeCheckpoint,
  readFileIfPresent,
  removeStaleTemporaries,
  type Sequential,
  type TrainingSnapshot,
  writeFileDurably,
} from '@convoy/layers';
import type { EpochRecord } from './history.js';
import { type RunSettings, settingsFromJson } from './run-settings.js';

export const CHECKPOINT_FILE = 'checkpoint.ckpt';
/** Where convoy-train before checkpoint.ckpt kept its checkpoint (a directory). */
const OLD_CHECKPOINT_DIR = 'checkpoint';
const FORMAT = 'convoy-train';
const VERSION = 2;

/** The trainer's side of a checkpoint. */
export interface TrainerState {
  settings: RunSettings;
  /** The epoch (1-based) that the next step or test pass belongs to. */
  epoch: number;
  /** What comes next in that epoch. */
  phase: 'train' | 'test';
  /** The finished epochs. */
  records: EpochRecord[];
  /** Phase 'test': the epoch's training numbers. */
  trained: { loss: number; accuracy: number } | null;
  /** Seconds of training spent in this epoch before the checkpoint (for history's seconds). */
  seconds: number;
  /** fit's state at the next step of `epoch` (its position counts from the start of one fit). */
  snapshot: TrainingSnapshot;
}

export function checkpointPath(outDir: string): string {
  return join(outDir, CHECKPOINT_FILE);
}

export async function hasCheckpoint(outDir: string): Promise<boolean> {
  return stat(checkpointPath(outDir)).then(
    (info) => info.isFile(),
    () => false,
  );
}

/** Non-finite numbers (a diverged test loss, no accuracy metric) as strings JSON can hold. */
const encodeNumber = (value: number): number | string =>
  Number.isFinite(value) ? value : String(value);

function decodeNumber(value: unknown, what: string, where: string): number {
  if (typeof value === 'number') return value;
  if (value === 'NaN' || value === 'Infinity' || value === '-Infinity') return Number(value);
  throw new Error(`${where}: ${what} must be a number, got ${JSON.stringify(value)}`);
}

/** Saves the model, its optimizer and the run's state into <outDir>/checkpoint.ckpt. */
export async function saveCheckpoint(
  outDir: string,
  model: Sequential,
  state: TrainerState,
): Promise<string> {
  const path = checkpointPath(outDir);
  const application = {
    format: FORMAT,
    version: VERSION,
    savedAt: new Date().toISOString(),
    settings: state.settings,
    epoch: state.epoch,
    phase: state.phase,
    records: state.records.map((record) =>
      Object.fromEntries(Object.entries(record).map(([key, value]) => [key, encodeNumber(value)])),
    ),
    trained: state.trained && {
      loss: encodeNumber(state.trained.loss),
      accuracy: encodeNumber(state.trained.accuracy),
    },
    seconds: state.seconds,
  };
  await writeFileDurably(path, await encodeCheckpoint(model, state.snapshot, application));
  return path;
}

/** Removes what a save killed before its rename left behind (only this run writes <out>). */
export function cleanCheckpointLeftovers(outDir: string): Promise<void> {
  return removeStaleTemporaries(checkpointPath(outDir));
}

/**
 * Loads <outDir>/checkpoint.ckpt: the model compiled with its restored optimizer, and the state.
 * Every way the file can be missing, damaged or not a convoy-train checkpoint is an error that
 * names the file and what is wrong.
 */
export async function loadCheckpoint(
  outDir: string,
  options: { seed: number },
): Promise<{ model: Sequential; state: TrainerState }> {
  const path = checkpointPath(outDir);
  const bytes = await readFileIfPresent(path);
  if (!bytes) {
    const old = await stat(join(outDir, OLD_CHECKPOINT_DIR, 'trainer-state.json')).then(
      () => true,
      () => false,
    );
    throw new Error(
      old
        ? `--resume: ${join(outDir, OLD_CHECKPOINT_DIR)} is a checkpoint of an earlier convoy-train, which cannot resume a run exactly; run without --resume to start afresh`
        : `--resume: there is no checkpoint in ${outDir} (no ${CHECKPOINT_FILE}: the run was stopped before its first checkpoint, or --out points elsewhere); run without --resume to start afresh`,
    );
  }
  const checkpoint = await decodeCheckpoint(bytes, path);
  const state = trainerStateFrom(checkpoint.application, checkpoint.training, path);
  return { model: checkpoint.toModel({ seed: options.seed }), state };
}

function trainerStateFrom(value: unknown, snapshot: TrainingSnapshot, path: string): TrainerState {
  const json = value as Record<string, unknown> | null;
  if (json === null || typeof json !== 'object' || json.format !== FORMAT)
    throw new Error(`${path}: not a convoy-train checkpoint (it holds no trainer state)`);
  if (json.version !== VERSION)
    throw new Error(
      `${path}: convoy-train checkpoint version ${JSON.stringify(json.version)}; this convoy-train reads version ${VERSION}`,
    );
  const epoch = json.epoch;
  if (!Number.isSafeInteger(epoch) || (epoch as number) < 1)
    throw new Error(`${path}: epoch must be a positive integer, got ${JSON.stringify(epoch)}`);
  if (json.phase !== 'train' && json.phase !== 'test')
    throw new Error(`${path}: phase must be "train" or "test", got ${JSON.stringify(json.phase)}`);
  if (!Array.isArray(json.records))
    throw new Error(
      `${path}: records must be a list of epochs, got ${JSON.stringify(json.records)}`,
    );
  const records = json.records.map((entry: unknown, i): EpochRecord => {
    const record = (entry ?? {}) as Record<string, unknown>;
    const field = (key: keyof EpochRecord) =>
      decodeNumber(record[key], `records[${i}].${key}`, path);
    return {
      epoch: field('epoch'),
      loss: field('loss'),
      accuracy: field('accuracy'),
      valLoss: field('valLoss'),
      valAccuracy: field('valAccuracy'),
      seconds: field('seconds'),
    };
  });
  if (records.length !== (epoch as number) - 1 || records.some((r, i) => r.epoch !== i + 1))
    throw new Error(
      `${path}: records must hold epochs 1 to ${(epoch as number) - 1}, got ${JSON.stringify(records.map((r) => r.epoch))}`,
    );
  let trained: TrainerState['trained'] = null;
  if (json.phase === 'test') {
    const logs = (json.trained ?? {}) as Record<string, unknown>;
    trained = {
      loss: decodeNumber(logs.loss, 'trained.loss', path),
      accuracy: decodeNumber(logs.accuracy, 'trained.accuracy', path),
    };
  }
  const seconds = json.seconds;
  if (typeof seconds !== 'number' || !(seconds >= 0))
    throw new Error(
      `${path}: seconds must be a non-negative number, got ${JSON.stringify(seconds)}`,
    );
  if (snapshot.position.epoch !== 0)
    throw new Error(
      `${path}: the training state is at epoch ${snapshot.position.epoch} of a fit; convoy-train's checkpoints are at epoch 0 of one`,
    );
  return {
    settings: settingsFromJson(json.settings, path),
    epoch: epoch as number,
    phase: json.phase,
    records,
    trained,
    seconds,
    snapshot,
  };
}
