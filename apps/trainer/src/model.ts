// The network a run trains: a textbook model, a model file, or the one in the checkpoint
// (--resume), compiled with the chosen optimizer as the book compiles its models.

import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  checkManifest,
  loadModel,
  type ModelJson,
  type Sequential,
  textbookModel,
  type WeightsManifestGroup,
} from '@convoy/layers';
import { adam, type Optimizer, rmsprop, sgd } from '@convoy/optim';
import type { ModelSpec, OptimizerName } from './cli.js';

export function makeOptimizer(name: OptimizerName, learningRate: number | undefined): Optimizer {
  const options = learningRate === undefined ? {} : { learningRate };
  switch (name) {
    case 'adam':
      return adam(options);
    case 'sgd':
      return sgd(options);
    case 'rmsprop':
      return rmsprop(options);
  }
}

export function describeModel(spec: ModelSpec): string {
  return spec.kind === 'textbook' ? `textbook model ${spec.id}` : spec.path;
}

export interface BuildModelOptions {
  model: ModelSpec;
  optimizer: OptimizerName;
  learningRate: number | undefined;
  seed: number;
}

/**
 * A freshly initialized textbook model, or the model in a TensorFlow.js model.json (its weights
 * shard beside it) to train further, compiled with the requested optimizer.
 */
export async function buildModel(options: BuildModelOptions): Promise<Sequential> {
  const optimizer = makeOptimizer(options.optimizer, options.learningRate);
  if (options.model.kind === 'textbook')
    return textbookModel(options.model.id, { seed: options.seed, optimizer });
  const model = await loadModelFile(options.model.path, options.seed);
  model.compile({ optimizer, loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  return model;
}

/** A TensorFlow.js LayersModel file (any name) with its weight shards beside it. */
async function loadModelFile(path: string, seed: number): Promise<Sequential> {
  let modelJson: ModelJson;
  try {
    modelJson = JSON.parse(await readFile(path, 'utf8')) as ModelJson;
  } catch (error) {
    throw new Error(`--model ${path}: cannot read it as JSON (${(error as Error).message})`);
  }
  let manifest: WeightsManifestGroup[];
  try {
    manifest = checkManifest(modelJson?.weightsManifest);
  } catch (error) {
    throw new Error(`--model ${path}: ${(error as Error).message.replace(/^loadModel: /, '')}`);
  }
  if (!modelJson?.modelTopology || manifest.length === 0)
    throw new Error(
      `--model ${path}: expected a TensorFlow.js model.json with "modelTopology" and "weightsManifest" (as written to --out by an earlier run), got keys ${Object.keys(modelJson ?? {}).join(', ') || 'none'}`,
    );
  try {
    const shards = await Promise.all(
      manifest.flatMap((group) =>
        group.paths.map((shard) =>
          readFile(join(dirname(path), shard)).catch((error: NodeJS.ErrnoException) => {
            throw new Error(
              error.code === 'ENOENT'
                ? `its weights file ${shard} is missing (looked for it beside the model file)`
                : `cannot read its weights file ${shard} (${error.message})`,
            );
          }),
        ),
      ),
    );
    const weights = new Uint8Array(Buffer.concat(shards));
    return await loadModel({ modelJson, weights }, { seed });
  } catch (error) {
    const message = (error as Error).message.replace(/^loadModel: /, '');
    throw new Error(`--model ${path}: ${message}`, { cause: error });
  }
}
