// loadModel and fromArtifacts: a Sequential model again from what save() wrote (or TensorFlow.js
// / tfjs-converter did), on a file system or in memory: the topology rebuilt, the weights matched
// to their layers by name, compiled if it was, and the optimizer's state restored when present.

import { sizeOf, Tensor } from '@convoy/tensor';
import {
  checkManifest,
  decodeFloat32,
  type ModelArtifacts,
  type ModelJson,
  OPTIMIZER_JSON,
  type OptimizerJson,
  restoreOptimizer,
  type WeightSpec,
  type WeightsManifestGroup,
} from './artifacts.js';
import { LOSSES, type LossName } from './losses.js';
import { Sequential } from './sequential.js';
import { layersFromTopology } from './topology.js';

export interface LoadOptions {
  /** Seeds shuffling and dropout of further training (the weights come from the file). */
  seed?: number;
}

/** A model from its artifacts: topology rebuilt, weights matched by name, compiled if it was. */
export function fromArtifacts(artifacts: ModelArtifacts, options: LoadOptions = {}): Sequential {
  const { modelJson, weights } = artifacts;
  if (!modelJson || typeof modelJson !== 'object' || !modelJson.modelTopology) {
    throw new TypeError('loadModel: model.json must be an object with a modelTopology');
  }
  const { name, layers } = layersFromTopology(modelJson.modelTopology);
  const model = new Sequential(layers, { name, seed: options.seed });
  if (!model.built)
    throw new RangeError(
      'loadModel: the topology does not say the input shape (no InputLayer or batch_input_shape)',
    );

  const specs = checkManifest(modelJson.weightsManifest).flatMap((group) => group.weights);
  const byName = readModelWeights(specs, weights);
  const ordered = model.layers.flatMap((layer) =>
    layer.weights.map((weight) => {
      const path = layer.weightPath(weight);
      const found = byName.get(path);
      if (!found) throw new RangeError(`loadModel: the weights manifest has no entry ${path}`);
      byName.delete(path);
      return new Tensor(found.value, found.spec.shape, 'float32');
    }),
  );
  if (byName.size > 0) {
    throw new RangeError(
      `loadModel: the weights manifest has entries no layer uses: ${[...byName.keys()].join(', ')}`,
    );
  }
  model.setWeights(ordered);

  const training = modelJson.trainingConfig;
  // Keras spells losses in snake_case; TensorFlow.js code often uses camelCase (sparseCategoricalCrossentropy).
  const loss = training
    ? String(training.loss).replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)
    : '';
  // A model compiled with a loss Convoy does not train still loads, uncompiled, for inference.
  if (training && (LOSSES as readonly string[]).includes(loss)) {
    model.compile({
      optimizer: training.optimizer_config,
      loss: loss as LossName,
      metrics: (Array.isArray(training.metrics) ? training.metrics : []).filter(
        (m) => m === 'accuracy' || m === 'acc',
      ),
    });
  }
  return model;
}

const BYTES_PER_ELEMENT: Record<string, number> = { float32: 4, int32: 4, uint8: 1, bool: 1 };

/**
 * The model's float32 weights by name, read at their offsets in the concatenated buffer. Entries
 * of TensorFlow.js's 'optimizer' group (which may be int32) are stepped over.
 */
function readModelWeights(
  specs: readonly WeightSpec[],
  bytes: Uint8Array,
): Map<string, { spec: WeightSpec; value: Float32Array }> {
  specs.forEach(checkWeightSpec);
  const sizes = specs.map((spec) => {
    const width = BYTES_PER_ELEMENT[spec.dtype ?? 'float32'];
    if (width === undefined) {
      throw new RangeError(`loadModel: weight ${spec.name} has unsupported dtype ${spec.dtype}`);
    }
    return sizeOf(spec.shape) * width;
  });
  const needed = sizes.reduce((sum, n) => sum + n, 0);
  if (bytes.byteLength !== needed) {
    throw new RangeError(
      `loadModel: the weights hold ${bytes.byteLength} bytes, but the manifest describes ${needed}`,
    );
  }
  const found = new Map<string, { spec: WeightSpec; value: Float32Array }>();
  let offset = 0;
  specs.forEach((spec, i) => {
    const at = offset;
    offset += sizes[i]!;
    if (spec.group === 'optimizer') return;
    if ((spec.dtype ?? 'float32') !== 'float32') {
      throw new RangeError(
        `loadModel: weight ${spec.name} has dtype ${spec.dtype}; only float32 is supported`,
      );
    }
    const [value] = decodeFloat32(
      bytes.subarray(at, at + sizes[i]!),
      [sizeOf(spec.shape)],
      'loadModel',
    );
    found.set(spec.name, { spec, value: value! });
  });
  return found;
}

/** A manifest entry must be { name, shape: [dims], dtype? }, or nothing can be sized from it. */
function checkWeightSpec(spec: unknown, index: number): void {
  const entry = spec as Partial<WeightSpec> | null;
  if (entry === null || typeof entry !== 'object' || typeof entry.name !== 'string')
    throw new RangeError(
      `loadModel: weights manifest entry ${index} must be an object with a name, got ${JSON.stringify(spec)?.slice(0, 80)}`,
    );
  const shape = entry.shape;
  if (!Array.isArray(shape) || !shape.every((n) => Number.isSafeInteger(n) && n >= 0))
    throw new RangeError(
      `loadModel: weight ${entry.name} must have a shape of non-negative integers, got ${JSON.stringify(shape)?.slice(0, 80)}`,
    );
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
