// What a training run is besides its weights and optimizer: where it stands between two steps
// (epoch, step, the random state that makes the epoch's order, the epoch's running sums), the
// history so far, the callbacks' own state, and the settings it was made with. fit hands it out
// (FitRun.snapshot) and takes it back (FitOptions.resumeFrom, Callback.onTrainRestore), so a
// checkpoint of the weights, the optimizer and this resumes the very run that stopped.

import type { RngState } from '@convoy/tensor';

/** Where a run stands between two steps. */
export interface TrainingPosition {
  /** The epoch (fit's numbering, from 0) the next step belongs to. */
  epoch: number;
  /** Steps of that epoch already done: 0 … steps (all done: its validation and end come next). */
  step: number;
  /** model.trainingRng before that epoch's shuffle: it remakes the order and the state after. */
  epochRng: RngState;
  /** The epoch's running sums so far: per-example losses, correct predictions, examples. */
  sums: { loss: number; correct: number; seen: number };
}

/** The fit arguments a run's numbers depend on; resuming with other ones is refused. */
export interface FitSettings {
  batchSize: number;
  /** Training examples (after the validation split). */
  samples: number;
  validationSamples: number;
  shuffle: boolean;
  /** The model's seed: it seeds the dropout masks. */
  seed: number;
}

/** Everything besides weights and optimizer that the next step of a run depends on. */
export interface TrainingSnapshot {
  position: TrainingPosition;
  /** History.epoch and History.history of the epochs finished so far. */
  history: { epoch: number[]; history: Record<string, number[]> };
  /** Each callback's getState() by its place in fit's list (null for one that keeps none). */
  callbacks: unknown[];
  settings: FitSettings;
}

const SETTING_NAMES: (keyof FitSettings)[] = [
  'batchSize',
  'samples',
  'validationSamples',
  'shuffle',
  'seed',
];

/**
 * Why a run made with `saved` settings cannot continue as one with `current`, or undefined when
 * it can: each differing setting named with both values.
 */
export function settingsDifference(saved: FitSettings, current: FitSettings): string | undefined {
  const differences = SETTING_NAMES.filter((name) => saved[name] !== current[name]).map(
    (name) => `${name} ${String(saved[name])} in the checkpoint, ${String(current[name])} now`,
  );
  return differences.length > 0 ? differences.join('; ') : undefined;
}

/** A deep copy, so later steps do not change a snapshot already handed out. */
export function copySnapshot(snapshot: TrainingSnapshot): TrainingSnapshot {
  return {
    position: {
      ...snapshot.position,
      epochRng: {
        words: [...snapshot.position.epochRng.words],
        spareNormal: snapshot.position.epochRng.spareNormal,
      },
      sums: { ...snapshot.position.sums },
    },
    history: {
      epoch: [...snapshot.history.epoch],
      history: Object.fromEntries(
        Object.entries(snapshot.history.history).map(([key, values]) => [key, [...values]]),
      ),
    },
    callbacks: structuredClone(snapshot.callbacks),
    settings: { ...snapshot.settings },
  };
}

/**
 * A snapshot as JSON. History values may be NaN or ±Infinity (a diverged validation loss), which
 * JSON cannot hold: they are written as the strings "NaN", "Infinity", "-Infinity".
 */
export function snapshotToJson(snapshot: TrainingSnapshot): unknown {
  const copy = copySnapshot(snapshot);
  return {
    ...copy,
    history: {
      epoch: copy.history.epoch,
      history: Object.fromEntries(
        Object.entries(copy.history.history).map(([key, values]) => [
          key,
          values.map((value) => (Number.isFinite(value) ? value : String(value))),
        ]),
      ),
    },
  };
}

/** Reads a snapshot back from JSON, checking every field; `where` names the file in errors. */
export function snapshotFromJson(json: unknown, where: string): TrainingSnapshot {
  const fail = (message: string): never => {
    throw new Error(`${where}: ${message}`);
  };
  const object = (value: unknown, name: string): Record<string, unknown> =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : fail(`${name} must be an object, got ${describe(value)}`);
  const count = (value: unknown, name: string): number =>
    Number.isSafeInteger(value) && (value as number) >= 0
      ? (value as number)
      : fail(`${name} must be a non-negative integer, got ${describe(value)}`);
  const root = object(json, 'the training state');
  const position = object(root.position, 'position');
  const rng = object(position.epochRng, 'position.epochRng');
  const words = rng.words;
  if (
    !Array.isArray(words) ||
    words.length !== 4 ||
    !words.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffffffff) ||
    words.every((w) => w === 0)
  )
    fail(
      `position.epochRng.words must be four unsigned 32-bit integers, not all zero, got ${describe(words)}`,
    );
  if (!(rng.spareNormal === null || Number.isFinite(rng.spareNormal)))
    fail(
      `position.epochRng.spareNormal must be a number or null, got ${describe(rng.spareNormal)}`,
    );
  const sums = object(position.sums, 'position.sums');
  if (!Number.isFinite(sums.loss))
    fail(`position.sums.loss must be a finite number, got ${describe(sums.loss)}`);
  const seen = count(sums.seen, 'position.sums.seen');
  const correct = count(sums.correct, 'position.sums.correct');
  if (correct > seen) fail(`position.sums.correct (${correct}) exceeds seen (${seen})`);

  const settingsJson = object(root.settings, 'settings');
  const settings: FitSettings = {
    batchSize: count(settingsJson.batchSize, 'settings.batchSize'),
    samples: count(settingsJson.samples, 'settings.samples'),
    validationSamples: count(settingsJson.validationSamples, 'settings.validationSamples'),
    shuffle:
      typeof settingsJson.shuffle === 'boolean'
        ? settingsJson.shuffle
        : fail(`settings.shuffle must be true or false, got ${describe(settingsJson.shuffle)}`),
    seed: Number.isFinite(settingsJson.seed)
      ? (settingsJson.seed as number)
      : fail(`settings.seed must be a number, got ${describe(settingsJson.seed)}`),
  };
  if (settings.batchSize < 1) fail('settings.batchSize must be at least 1');
  const steps = Math.ceil(settings.samples / settings.batchSize);
  const step = count(position.step, 'position.step');
  if (step > steps)
    fail(`position.step ${step} is past the epoch's ${steps} steps (settings.samples / batchSize)`);
  if (seen > settings.samples)
    fail(`position.sums.seen (${seen}) exceeds the ${settings.samples} training examples`);

  const historyJson = object(root.history, 'history');
  const epochs = historyJson.epoch;
  if (!Array.isArray(epochs) || !epochs.every((e) => Number.isSafeInteger(e) && e >= 0))
    fail(`history.epoch must be a list of epoch numbers, got ${describe(epochs)}`);
  const metrics = object(historyJson.history, 'history.history');
  const history: Record<string, number[]> = {};
  for (const [key, values] of Object.entries(metrics)) {
    if (!Array.isArray(values) || values.length !== (epochs as number[]).length)
      fail(
        `history.history.${key} must hold one number per epoch (${(epochs as number[]).length}), got ${describe(values)}`,
      );
    history[key] = (values as unknown[]).map((value, i) => {
      if (typeof value === 'number') return value;
      if (value === 'NaN' || value === 'Infinity' || value === '-Infinity') return Number(value);
      return fail(`history.history.${key}[${i}] must be a number, got ${describe(value)}`);
    });
  }
  if (!Array.isArray(root.callbacks))
    fail(`callbacks must be a list, got ${describe(root.callbacks)}`);
  return {
    position: {
      epoch: count(position.epoch, 'position.epoch'),
      step,
      epochRng: {
        words: [...(words as number[])] as RngState['words'],
        spareNormal: (rng.spareNormal as number | null) ?? null,
      },
      sums: { loss: sums.loss as number, correct, seen },
    },
    history: { epoch: [...(epochs as number[])], history },
    callbacks: structuredClone(root.callbacks as unknown[]),
    settings,
  };
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
