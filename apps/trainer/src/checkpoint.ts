// The resumable checkpoint in <out>/checkpoint: the model (tfjs format) with its optimizer state
// (Adam's moments and step count), plus trainer-state.json saying how many epochs are done and
// the history so far. Written to a fresh directory and swapped in, so an interrupted save leaves
// the previous checkpoint intact.

import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadModel, type Sequential, saveModel } from '@convoy/layers';
import { replaceDirectoryAtomic } from './atomic.js';
import { type EpochRecord, type HistoryJson, historyFromJson, historyToJson } from './history.js';

export const CHECKPOINT_DIR = 'checkpoint';
export const CHECKPOINT_STATE_FILE = 'trainer-state.json';
const FORMAT = 'convoy-train-checkpoint';
const VERSION = 1;
/** A prime step between the shuffle seeds of successive resumes. */
const RESUME_SEED_STRIDE = 1_000_003;

/** The run settings remembered for information and for warnings when resuming differently. */
export interface CheckpointSettings {
  model: string;
  batchSize: number;
  seed: number;
  subset: number | null;
}

export interface CheckpointState {
  /** Epochs whose training and test evaluation both finished; --resume starts after them. */
  completedEpochs: number;
  /** Where Ctrl-C stopped an unfinished epoch; its updates are in the saved weights. */
  interrupted: { epoch: number; step: number; steps: number } | null;
  history: EpochRecord[];
  settings: CheckpointSettings;
}

interface StateFile {
  format: typeof FORMAT;
  version: typeof VERSION;
  savedAt: string;
  completedEpochs: number;
  interrupted: CheckpointState['interrupted'];
  history: HistoryJson;
  settings: CheckpointSettings;
}

export function checkpointPath(outDir: string): string {
  return join(outDir, CHECKPOINT_DIR);
}

/** Saves model, optimizer state and trainer state into <outDir>/checkpoint atomically. */
export async function saveCheckpoint(
  outDir: string,
  model: Sequential,
  state: CheckpointState,
): Promise<string> {
  const path = checkpointPath(outDir);
  const file: StateFile = {
    format: FORMAT,
    version: VERSION,
    savedAt: new Date().toISOString(),
    completedEpochs: state.completedEpochs,
    interrupted: state.interrupted,
    history: historyToJson(state.history),
    settings: state.settings,
  };
  await replaceDirectoryAtomic(path, async (dir) => {
    await saveModel(model, dir, { includeOptimizer: true });
    await writeFile(join(dir, CHECKPOINT_STATE_FILE), `${JSON.stringify(file, null, 2)}\n`);
  });
  return path;
}

export async function hasCheckpoint(outDir: string): Promise<boolean> {
  return stat(join(checkpointPath(outDir), CHECKPOINT_STATE_FILE)).then(
    () => true,
    () => false,
  );
}

/**
 * Loads <outDir>/checkpoint: the model compiled with its restored optimizer, and the state.
 * The shuffling of the epochs still to come is seeded with `seed` and the number of completed
 * epochs, so a resumed run does not replay the first epochs' order.
 */
export async function loadCheckpoint(
  outDir: string,
  options: { seed: number },
): Promise<{ model: Sequential; state: CheckpointState }> {
  const path = checkpointPath(outDir);
  const statePath = join(path, CHECKPOINT_STATE_FILE);
  let raw: string;
  try {
    raw = await readFile(statePath, 'utf8');
  } catch {
    throw new Error(
      `--resume: no checkpoint in ${path} (expected ${CHECKPOINT_STATE_FILE}); run without --resume first, or point --out at the run to continue`,
    );
  }
  let file: Partial<StateFile>;
  try {
    file = JSON.parse(raw) as Partial<StateFile>;
  } catch (error) {
    throw new Error(`--resume: ${statePath} is not valid JSON (${(error as Error).message})`);
  }
  if (file.format !== FORMAT || file.version !== VERSION)
    throw new Error(
      `--resume: ${statePath} is not a convoy-train checkpoint of version ${VERSION} (format ${String(file.format)}, version ${String(file.version)})`,
    );
  if (!Number.isInteger(file.completedEpochs) || (file.completedEpochs as number) < 0)
    throw new Error(`--resume: ${statePath}: completedEpochs must be a non-negative integer`);
  const history = historyFromJson(file.history, statePath);
  const completedEpochs = file.completedEpochs as number;
  const model = await loadModel(path, {
    seed: options.seed + RESUME_SEED_STRIDE * completedEpochs,
    includeOptimizer: true,
  });
  if (!model.optimizer)
    throw new Error(`--resume: the model in ${path} was saved without its optimizer`);
  return {
    model,
    state: {
      completedEpochs,
      interrupted: file.interrupted ?? null,
      history,
      settings: file.settings as CheckpointSettings,
    },
  };
}
