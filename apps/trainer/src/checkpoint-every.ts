// --checkpoint-every: a checkpoint every N training steps (`500`) or every N seconds (`30s`,
// `10m`, `1h`), besides the ones at every epoch's end and on Ctrl-C. Keras's
// BackupAndRestore(save_freq=N) counts steps; seconds suit runs whose step time is unknown.

import { InvalidArgumentError } from 'commander';

export type CheckpointEvery = { steps: number } | { seconds: number };

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600 };

export function parseCheckpointEvery(value: string): CheckpointEvery {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([smh]?)\s*$/i.exec(value);
  const amount = match ? Number(match[1]) : Number.NaN;
  const unit = match?.[2]?.toLowerCase() ?? '';
  if (!match || !(amount > 0) || (unit === '' && !Number.isSafeInteger(amount)))
    throw new InvalidArgumentError(
      'Expected a whole number of steps such as 500, or a time such as 30s, 10m or 1h.',
    );
  return unit === '' ? { steps: amount } : { seconds: amount * UNIT_SECONDS[unit]! };
}

export function describeCheckpointEvery(every: CheckpointEvery): string {
  return 'steps' in every ? `every ${every.steps} steps` : `every ${every.seconds} s`;
}
