// save(dir) and loadModel(dir) on a file system (Node): model.json, the weights shard, and
// optionally the optimizer's state. Every file is written to a temporary name and renamed into
// place, weights first and model.json last, so an interrupted save never leaves a model.json
// pointing at missing or half-written weights. An earlier model.json is removed before the first
// rename: a save killed between two renames leaves no model.json (no model) rather than the old
// one beside the new weights.

import {
  checkManifest,
  fromArtifacts,
  type LoadOptions,
  type ModelJson,
  type OptimizerJson,
  optimizerArtifacts,
  restoreOptimizer,
  toArtifacts,
  type WeightsManifestGroup,
} from './artifacts.js';
import type { Sequential } from './sequential.js';

export interface SaveOptions {
  /** Also write optimizer.json + optimizer.bin, so training can resume where it stopped. */
  includeOptimizer?: boolean;
}

const OPTIMIZER_JSON = 'optimizer.json';

export async function saveModel(
  model: Sequential,
  dir: string,
  options: SaveOptions = {},
): Promise<void> {
  const fs = await import('node:fs/promises');
  const path = await import('node:path');
  await fs.mkdir(dir, { recursive: true });
  const { modelJson, weights } = toArtifacts(model);
  const files: [string, string | Uint8Array][] = [
    [modelJson.weightsManifest[0]!.paths[0]!, weights],
  ];
  if (options.includeOptimizer) {
    const { json, data } = optimizerArtifacts(model);
    files.push([json.path, data], [OPTIMIZER_JSON, JSON.stringify(json)]);
  }
  files.push(['model.json', JSON.stringify(modelJson)]);
  const temporary = files.map(([name]) =>
    path.join(dir, `.${name}.${process.pid}.${Date.now()}.tmp`),
  );
  try {
    await Promise.all(files.map(([, content], i) => fs.writeFile(temporary[i]!, content)));
    await fs.rm(path.join(dir, 'model.json'), { force: true });
    for (let i = 0; i < files.length; i++)
      await fs.rename(temporary[i]!, path.join(dir, files[i]![0]));
  } catch (error) {
    await Promise.all(temporary.map((file) => fs.rm(file, { force: true })));
    throw error;
  }
}

export interface LoadModelOptions extends LoadOptions {
  /** Restore optimizer.json/optimizer.bin when present (default true). */
  includeOptimizer?: boolean;
}

/**
 * A model from a directory written by save() (or by TensorFlow.js / tfjs-converter for a
 * Sequential model of supported layers), or from in-memory artifacts `{ modelJson, weights }`.
 */
export async function loadModel(
  source: string | { modelJson: ModelJson; weights: Uint8Array | ArrayBuffer },
  options: LoadModelOptions = {},
): Promise<Sequential> {
  if (typeof source !== 'string') {
    const weights =
      source.weights instanceof Uint8Array ? source.weights : new Uint8Array(source.weights);
    return fromArtifacts({ modelJson: source.modelJson, weights }, options);
  }
  const fs = await import('node:fs/promises');
  const path = await import('node:path');
  const modelPath = path.join(source, 'model.json');
  // Every failure below names the file it is about: the caller may load many models.
  const fail = (file: string, error: unknown): never => {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`loadModel: ${file}: ${message.replace(/^loadModel: /, '')}`, {
      cause: error,
    });
  };
  let modelJson: ModelJson;
  try {
    modelJson = JSON.parse(await fs.readFile(modelPath, 'utf8')) as ModelJson;
  } catch (error) {
    return fail(modelPath, `cannot read it as JSON (${(error as Error).message})`);
  }
  let manifest: WeightsManifestGroup[];
  try {
    manifest = checkManifest(modelJson?.weightsManifest);
  } catch (error) {
    return fail(modelPath, error);
  }
  const shards = await Promise.all(
    manifest.flatMap((group) =>
      group.paths.map((p) =>
        fs
          .readFile(path.join(source, p))
          .catch((error: NodeJS.ErrnoException) =>
            fail(
              modelPath,
              error.code === 'ENOENT'
                ? `its weights file ${p} is missing`
                : `cannot read its weights file ${p} (${error.message})`,
            ),
          ),
      ),
    ),
  );
  const total = shards.reduce((sum, shard) => sum + shard.byteLength, 0);
  const weights = new Uint8Array(total);
  let offset = 0;
  for (const shard of shards) {
    weights.set(shard, offset);
    offset += shard.byteLength;
  }
  let model: Sequential;
  try {
    model = fromArtifacts({ modelJson, weights }, options);
  } catch (error) {
    return fail(modelPath, error);
  }
  if (options.includeOptimizer ?? true) {
    const optimizerPath = path.join(source, OPTIMIZER_JSON);
    const exists = await fs.stat(optimizerPath).then(
      () => true,
      () => false,
    );
    if (exists) {
      try {
        const json = JSON.parse(await fs.readFile(optimizerPath, 'utf8')) as OptimizerJson;
        const data = await fs.readFile(path.join(source, String(json.path)));
        restoreOptimizer(
          model,
          json,
          new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
        );
      } catch (error) {
        fail(optimizerPath, error);
      }
    }
  }
  return model;
}
