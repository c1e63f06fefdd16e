// Training history: per epoch, the training loss/accuracy (the running means Keras prints) and
// the test-set loss/accuracy. Saved as JSON shaped like Keras's `history.history` and as CSV.

import { join } from 'node:path';
import { writeFileAtomic } from './atomic.js';

export interface EpochRecord {
  /** 1-based, as printed in `Epoch 1/5`. */
  epoch: number;
  loss: number;
  accuracy: number;
  /** On the test set, like Keras's `validation_data=(x_test, y_test)`. */
  valLoss: number;
  valAccuracy: number;
  /** Wall-clock seconds for the epoch's training steps. */
  seconds: number;
}

/** The JSON file: Keras's `history.history` keys, one array entry per epoch. */
export interface HistoryJson {
  epoch: number[];
  loss: number[];
  accuracy: number[];
  val_loss: number[];
  val_accuracy: number[];
  seconds: number[];
}

export const HISTORY_JSON_FILE = 'history.json';
export const HISTORY_CSV_FILE = 'history.csv';

const CSV_COLUMNS = ['epoch', 'loss', 'accuracy', 'val_loss', 'val_accuracy', 'seconds'] as const;

export function historyToJson(records: readonly EpochRecord[]): HistoryJson {
  return {
    epoch: records.map((record) => record.epoch),
    loss: records.map((record) => record.loss),
    accuracy: records.map((record) => record.accuracy),
    val_loss: records.map((record) => record.valLoss),
    val_accuracy: records.map((record) => record.valAccuracy),
    seconds: records.map((record) => record.seconds),
  };
}

/** Reads the JSON form back (for --resume); rejects files that are not a history. */
export function historyFromJson(value: unknown, source = 'history'): EpochRecord[] {
  const json = value as Partial<Record<keyof HistoryJson, unknown>>;
  const columns = {} as Record<keyof HistoryJson, number[]>;
  for (const key of CSV_COLUMNS) {
    const column = json?.[key];
    if (!Array.isArray(column) || !column.every((item) => typeof item === 'number'))
      throw new Error(`${source}: expected "${key}" to be an array of numbers`);
    columns[key] = column;
  }
  const length = columns.epoch.length;
  for (const key of CSV_COLUMNS) {
    if (columns[key].length !== length)
      throw new Error(
        `${source}: "${key}" has ${columns[key].length} entries but "epoch" has ${length}`,
      );
  }
  return columns.epoch.map((epoch, index) => ({
    epoch,
    loss: columns.loss[index]!,
    accuracy: columns.accuracy[index]!,
    valLoss: columns.val_loss[index]!,
    valAccuracy: columns.val_accuracy[index]!,
    seconds: columns.seconds[index]!,
  }));
}

/** `epoch,loss,accuracy,val_loss,val_accuracy,seconds`, one row per epoch, full precision. */
export function historyToCsv(records: readonly EpochRecord[]): string {
  const rows = records.map((record) =>
    [
      record.epoch,
      record.loss,
      record.accuracy,
      record.valLoss,
      record.valAccuracy,
      record.seconds,
    ].join(','),
  );
  return `${[CSV_COLUMNS.join(','), ...rows].join('\n')}\n`;
}

/** Writes history.json and history.csv into `dir`. */
export async function writeHistory(dir: string, records: readonly EpochRecord[]): Promise<void> {
  await writeFileAtomic(
    join(dir, HISTORY_JSON_FILE),
    `${JSON.stringify(historyToJson(records), null, 2)}\n`,
  );
  await writeFileAtomic(join(dir, HISTORY_CSV_FILE), historyToCsv(records));
}
