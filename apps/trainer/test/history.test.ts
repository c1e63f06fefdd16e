// History JSON and CSV: Keras's history keys, full precision, and a JSON round trip.

import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type EpochRecord,
  historyFromJson,
  historyToCsv,
  historyToJson,
  writeHistory,
} from '../src/history.js';

const records: EpochRecord[] = [
  { epoch: 1, loss: 0.3504, accuracy: 0.8744, valLoss: 0.29, valAccuracy: 0.8931, seconds: 73.25 },
  { epoch: 2, loss: 0.2155, accuracy: 0.9206, valLoss: 0.2573, valAccuracy: 0.924, seconds: 71 },
];

describe('history', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('writes CSV with a header and one row per epoch', () => {
    expect(historyToCsv(records)).toBe(
      'epoch,loss,accuracy,val_loss,val_accuracy,seconds\n' +
        '1,0.3504,0.8744,0.29,0.8931,73.25\n' +
        '2,0.2155,0.9206,0.2573,0.924,71\n',
    );
    expect(historyToCsv([])).toBe('epoch,loss,accuracy,val_loss,val_accuracy,seconds\n');
  });

  it("uses Keras's history.history keys in JSON and reads them back", () => {
    const json = historyToJson(records);
    expect(json).toEqual({
      epoch: [1, 2],
      loss: [0.3504, 0.2155],
      accuracy: [0.8744, 0.9206],
      val_loss: [0.29, 0.2573],
      val_accuracy: [0.8931, 0.924],
      seconds: [73.25, 71],
    });
    expect(historyFromJson(JSON.parse(JSON.stringify(json)))).toEqual(records);
  });

  it('rejects a JSON file that is not a history', () => {
    expect(() => historyFromJson({ loss: [1] }, 'ckpt/history.json')).toThrow(
      'ckpt/history.json: expected "epoch" to be an array of numbers',
    );
    const ragged = { ...historyToJson(records), loss: [1] };
    expect(() => historyFromJson(ragged)).toThrow('"loss" has 1 entries but "epoch" has 2');
  });

  it('writes both files and leaves no temporary files', async () => {
    dir = await mkdtemp(join(tmpdir(), 'convoy-history-'));
    await writeHistory(dir, records);
    expect((await readdir(dir)).sort()).toEqual(['history.csv', 'history.json']);
    expect(historyFromJson(JSON.parse(await readFile(join(dir, 'history.json'), 'utf8')))).toEqual(
      records,
    );
    expect(await readFile(join(dir, 'history.csv'), 'utf8')).toBe(historyToCsv(records));
  });
});
