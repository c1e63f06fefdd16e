// The settings a run's numbers depend on, kept in its checkpoint. `--resume` with any of them
// different would not continue the run that stopped but start another on top of it, so it is
// refused, naming each difference by its flag. The data is identified by a SHA-256 of the
// images and labels actually trained and tested on (after --subset, the image folder's split,
// --image-size and --color), so the same flags on other files are caught too. The number of
// workers is not among them: the weights come out the same for any number.

import { createHash } from 'node:crypto';
import type { Tensor } from '@convoy/tensor';
import type { TrainOptions } from './cli.js';
import type { TrainingData } from './data.js';
import { describeModel } from './model.js';

export interface RunSettings {
  model: string;
  optimizer: string;
  /** null: the optimizer's Keras default. */
  learningRate: number | null;
  batchSize: number;
  seed: number;
  subset: number | null;
  /** Where the data came from (for the message) and its digest (for the comparison). */
  dataSource: string;
  dataSha256: string;
}

const FLAGS: Record<keyof RunSettings, string> = {
  model: '--model',
  optimizer: '--optimizer',
  learningRate: '--lr',
  batchSize: '--batch-size',
  seed: '--seed',
  subset: '--subset',
  dataSource: '--data',
  dataSha256: 'the data',
};

function digestOf(tensors: readonly Tensor[]): string {
  const hash = createHash('sha256');
  for (const tensor of tensors) {
    hash.update(JSON.stringify(tensor.shape));
    const { buffer, byteOffset, byteLength } = tensor.data;
    // Shared memory is read through a copy: Node's hash takes no SharedArrayBuffer views.
    hash.update(
      buffer instanceof SharedArrayBuffer
        ? new Uint8Array(buffer, byteOffset, byteLength).slice()
        : new Uint8Array(buffer, byteOffset, byteLength),
    );
  }
  return hash.digest('hex');
}

export function runSettings(options: TrainOptions, data: TrainingData): RunSettings {
  return {
    model: describeModel(options.model),
    optimizer: options.optimizer,
    learningRate: options.learningRate ?? null,
    batchSize: options.batchSize,
    seed: options.seed,
    subset: options.subset ?? null,
    dataSource: data.source,
    dataSha256: digestOf([data.trainImages, data.trainLabels, data.testImages, data.testLabels]),
  };
}

function show(key: keyof RunSettings, value: unknown): string {
  if (key === 'learningRate' && value === null) return "the optimizer's default";
  if (key === 'subset' && value === null) return 'all images';
  if (key === 'dataSha256') return `SHA-256 ${String(value).slice(0, 12)}…`;
  return String(value);
}

/**
 * Why a checkpoint made with `saved` cannot be resumed with `current`, or undefined when it can.
 * A data source that differs only in its path but not its digest is the same data.
 */
export function settingsMismatch(saved: RunSettings, current: RunSettings): string | undefined {
  const keys = (Object.keys(FLAGS) as (keyof RunSettings)[]).filter(
    (key) => key !== 'dataSource' && saved[key] !== current[key],
  );
  if (keys.length === 0) return undefined;
  return keys
    .map((key) =>
      key === 'dataSha256'
        ? `the data differs (${saved.dataSource}, ${show(key, saved[key])} in the checkpoint; ${current.dataSource}, ${show(key, current[key])} now)`
        : `${FLAGS[key]} was ${show(key, saved[key])}, now ${show(key, current[key])}`,
    )
    .join('; ');
}

/** Reads settings back from a checkpoint's JSON, or says which field is wrong. */
export function settingsFromJson(value: unknown, where: string): RunSettings {
  const json = value as Record<string, unknown> | null;
  if (json === null || typeof json !== 'object')
    throw new Error(`${where}: the run settings are missing`);
  const text = (key: keyof RunSettings): string => {
    if (typeof json[key] !== 'string')
      throw new Error(
        `${where}: settings.${key} must be a string, got ${JSON.stringify(json[key])}`,
      );
    return json[key] as string;
  };
  const number = (key: keyof RunSettings, nullable: boolean): number | null => {
    const item = json[key];
    if (nullable && item === null) return null;
    if (typeof item !== 'number' || !Number.isFinite(item))
      throw new Error(
        `${where}: settings.${key} must be a number${nullable ? ' or null' : ''}, got ${JSON.stringify(item)}`,
      );
    return item;
  };
  return {
    model: text('model'),
    optimizer: text('optimizer'),
    learningRate: number('learningRate', true),
    batchSize: number('batchSize', false) as number,
    seed: number('seed', false) as number,
    subset: number('subset', true),
    dataSource: text('dataSource'),
    dataSha256: text('dataSha256'),
  };
}
