// Models in and out of the page, in the TensorFlow.js LayersModel format — the files convoy-train
// writes and tf.loadLayersModel reads: model.json (topology, weights manifest, training config)
// and the weights shard(s) it lists. Downloading saves both files; opening takes model.json with
// the files its manifest names, in any order, and joins the shards as the manifest orders them.

import type { ModelJson } from '@convoy/layers';

export interface OpenedModel {
  /** For the status line: 'model.json + group1-shard1of1.bin'. */
  name: string;
  modelJson: ModelJson;
  weights: ArrayBuffer;
}

/** The bytes that make the two files, exactly as convoy-train's saveModel writes them. */
export function modelFiles(
  modelJson: ModelJson,
  weights: ArrayBuffer,
): { name: string; blob: Blob }[] {
  const shard = modelJson.weightsManifest[0]?.paths[0];
  if (
    !shard ||
    modelJson.weightsManifest.length !== 1 ||
    modelJson.weightsManifest[0]!.paths.length !== 1
  ) {
    throw new Error(
      'model files: expected one weights group with one shard, as @convoy/layers writes',
    );
  }
  return [
    {
      name: 'model.json',
      blob: new Blob([JSON.stringify(modelJson)], { type: 'application/json' }),
    },
    { name: shard, blob: new Blob([weights], { type: 'application/octet-stream' }) },
  ];
}

/** Starts a download of each file and returns links to start them again. */
export function download(files: readonly { name: string; blob: Blob }[]): HTMLAnchorElement[] {
  return files.map(({ name, blob }) => {
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = name;
    link.textContent = name;
    link.dataset.testid = `download-${name}`;
    link.click();
    return link;
  });
}

const baseName = (path: string) => path.slice(path.lastIndexOf('/') + 1);

export async function openModelFiles(files: readonly File[]): Promise<OpenedModel> {
  const jsonFiles = files.filter((file) => file.name.endsWith('.json'));
  if (jsonFiles.length !== 1) {
    throw new Error(
      `open a model: choose its model.json together with its weights file(s); got ${
        jsonFiles.length === 0 ? 'no .json file' : `${jsonFiles.length} .json files`
      }`,
    );
  }
  const jsonFile = jsonFiles[0]!;
  let modelJson: ModelJson;
  try {
    modelJson = JSON.parse(await jsonFile.text()) as ModelJson;
  } catch (error) {
    throw new Error(`open a model: ${jsonFile.name} is not JSON (${(error as Error).message})`);
  }
  if (modelJson?.format !== 'layers-model' || !Array.isArray(modelJson.weightsManifest)) {
    throw new Error(
      `open a model: ${jsonFile.name} is not a TensorFlow.js layers model (format "layers-model" with a weightsManifest)`,
    );
  }
  const byName = new Map(files.map((file) => [file.name, file]));
  const paths = modelJson.weightsManifest.flatMap((group) => group.paths);
  const missing = paths.filter((path) => !byName.has(baseName(path)));
  if (missing.length > 0) {
    throw new Error(
      `open a model: ${jsonFile.name} needs ${missing.join(', ')}; choose ${missing.length === 1 ? 'it' : 'them'} together with ${jsonFile.name}`,
    );
  }
  const shards = await Promise.all(paths.map((path) => byName.get(baseName(path))!.arrayBuffer()));
  const weights = new Uint8Array(shards.reduce((sum, shard) => sum + shard.byteLength, 0));
  let offset = 0;
  for (const shard of shards) {
    weights.set(new Uint8Array(shard), offset);
    offset += shard.byteLength;
  }
  return {
    name: [jsonFile.name, ...paths.map(baseName)].join(' + '),
    modelJson,
    weights: weights.buffer,
  };
}
