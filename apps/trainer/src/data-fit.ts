// The input a model takes and the check that the data fits it: an image folder is loaded at the
// model's input size and colour, and before training the model's input shape and class count are
// compared with the data's, so a mismatch is one clear sentence rather than a shape error deep in
// the first training step.

import { readFile } from 'node:fs/promises';
import type { Sequential } from '@convoy/layers';
import type { ModelSpec } from './cli.js';

/** [height, width, channels] of one image. */
export type ImageShape = [number, number, number];

/** What the textbook's three models take: 28x28 gray (Fashion-MNIST). */
export const TEXTBOOK_INPUT_SHAPE: ImageShape = [28, 28, 1];

/**
 * The input shape a model spec declares: the textbook's, or the first layer's batch_input_shape in
 * a model.json (read without building the model). Undefined when the file does not say.
 */
export async function declaredInputShape(spec: ModelSpec): Promise<ImageShape | undefined> {
  if (spec.kind === 'textbook') return TEXTBOOK_INPUT_SHAPE;
  let json: unknown;
  try {
    json = JSON.parse(await readFile(spec.path, 'utf8'));
  } catch (error) {
    throw new Error(`--model ${spec.path}: cannot read it as JSON (${(error as Error).message})`);
  }
  const topology = (json as { modelTopology?: unknown })?.modelTopology as
    | { model_config?: unknown }
    | undefined;
  const root = (topology?.model_config ?? topology) as { config?: unknown } | undefined;
  const layers = Array.isArray(root?.config)
    ? root.config
    : (root?.config as { layers?: unknown[] } | undefined)?.layers;
  const first = (Array.isArray(layers) ? layers[0] : undefined) as
    | { config?: { batch_input_shape?: unknown } }
    | undefined;
  const shape = first?.config?.batch_input_shape;
  if (!Array.isArray(shape) || shape.length !== 4) return undefined;
  const [height, width, channels] = shape.slice(1);
  return [height, width, channels].every((side) => Number.isSafeInteger(side) && side > 0)
    ? ([height, width, channels] as ImageShape)
    : undefined;
}

export function formatImageShape([height, width, channels]: readonly number[]): string {
  return `${height}x${width} ${channels === 1 ? 'gray' : channels === 3 ? 'RGB' : `${channels}-channel`}`;
}

export interface DataShape {
  /** [n, height, width, channels] of the training images. */
  imageShape: readonly number[];
  classNames: readonly string[];
  /** Where the data came from, for the message. */
  source: string;
}

/** Throws a message naming both sides when the model cannot take the data. */
export function checkModelFitsData(model: Sequential, data: DataShape, modelName: string): void {
  const input = model.inputShape?.slice(1) ?? [];
  const image = data.imageShape.slice(1);
  if (input.length !== image.length || input.some((side, i) => side !== null && side !== image[i]))
    throw new Error(
      `${modelName} takes inputs of shape [${input.map((side) => side ?? 'None').join(', ')}] (${formatImageShape(input as number[])}), but the images from ${data.source} are [${image.join(', ')}] (${formatImageShape(image)}); ` +
        "load them at the model's size (drop --image-size/--color) or train a model made for them",
    );
  const output = model.outputShape;
  const units = output?.[output.length - 1];
  if (units !== data.classNames.length)
    throw new Error(
      `${modelName} has ${units ?? 'no'} outputs (its last layer), but ${data.source} has ${data.classNames.length} classes (${data.classNames.join(', ')}); ` +
        'use a model whose last Dense layer has one unit per class',
    );
}
