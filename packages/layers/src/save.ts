// save(dir) on a file system (Node): model.json, the weights shard, and optionally the
// optimizer's state. Every file is written to a temporary name and renamed into place, weights
// first and model.json last, so an interrupted save never leaves a model.json pointing at missing
// or half-written weights. An earlier model.json is removed before the first rename: a save killed
// between two renames leaves no model.json (no model) rather than the old one beside the new
// weights. loadModel, the way back, is in load.ts.

import { OPTIMIZER_JSON, optimizerArtifacts, toArtifacts } from './artifacts.js';
import type { Model } from './model.js';

export interface SaveOptions {
  /** Also write optimizer.json + optimizer.bin, so training can resume where it stopped. */
  includeOptimizer?: boolean;
}

export async function saveModel(
  model: Model,
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
