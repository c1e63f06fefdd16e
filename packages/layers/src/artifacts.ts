// The TensorFlow.js LayersModel format in memory: `model.json` (format, modelTopology,
// weightsManifest, trainingConfig) and the weights as one little-endian float32 buffer, in
// manifest order. The same objects are what save() writes and loadModel() reads, and what a
// browser can pass around without a file system. A model's artifacts and its optimizer's are
// made here; the way back to a Sequential (fromArtifacts) is in load.ts.

import { createOptimizer, type OptimizerConfig } from '@convoy/optim';
import { formatShape, sizeOf } from '@convoy/tensor';
import type { LossName } from './losses.js';
import type { MetricName, Model } from './model.js';
import { type ModelTopology, modelTopology } from './topology.js';

export const WEIGHTS_FILE = 'group1-shard1of1.bin';

export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32';
  /** TensorFlow.js marks optimizer variables saved beside the model with group 'optimizer'. */
  group?: 'model' | 'optimizer';
}

/** The weights manifest, checked to be a list of { paths: [file names], weights: [entries] }. */
export function checkManifest(manifest: unknown): WeightsManifestGroup[] {
  const groups = manifest ?? [];
  if (
    !Array.isArray(groups) ||
    !groups.every(
      (group) =>
        group !== null &&
        typeof group === 'object' &&
        Array.isArray(group.paths) &&
        group.paths.every((p: unknown) => typeof p === 'string') &&
        Array.isArray(group.weights),
    )
  )
    throw new RangeError(
      'loadModel: weightsManifest must be a list of { paths: [file names], weights: [...] }',
    );
  return groups as WeightsManifestGroup[];
}

export interface WeightsManifestGroup {
  paths: string[];
  weights: WeightSpec[];
}

export interface TrainingConfig {
  loss: LossName;
  metrics: MetricName[];
  optimizer_config: { class_name: string; config: OptimizerConfig };
}

export interface ModelJson {
  format: 'layers-model';
  generatedBy: string;
  convertedBy: null;
  modelTopology: ModelTopology;
  weightsManifest: WeightsManifestGroup[];
  trainingConfig?: TrainingConfig;
}

export interface ModelArtifacts {
  modelJson: ModelJson;
  /** All weights, concatenated in manifest order, little-endian float32. */
  weights: Uint8Array;
}

export function toArtifacts(model: Model): ModelArtifacts {
  if (!model.built) model.build();
  const specs: WeightSpec[] = [];
  for (const layer of model.layers) {
    for (const weight of layer.weights) {
      specs.push({
        name: layer.weightPath(weight),
        shape: [...weight.value.shape],
        dtype: 'float32',
      });
    }
  }
  const modelJson: ModelJson = {
    format: 'layers-model',
    generatedBy: 'convoy @convoy/layers',
    convertedBy: null,
    modelTopology: modelTopology(model),
    weightsManifest: [{ paths: [WEIGHTS_FILE], weights: specs }],
  };
  if (model.loss && model.optimizer) {
    const config = model.optimizer.getConfig();
    modelJson.trainingConfig = {
      loss: model.loss,
      metrics: [...model.metrics],
      optimizer_config: { class_name: config.name, config },
    };
  }
  return { modelJson, weights: encodeFloat32(model.getWeights().map((t) => t.data)) };
}

/** Float32 arrays concatenated as little-endian bytes, whatever this machine's byte order. */
export function encodeFloat32(arrays: readonly Float32Array[]): Uint8Array {
  const total = arrays.reduce((sum, a) => sum + a.length, 0);
  const bytes = new Uint8Array(total * 4);
  const view = new DataView(bytes.buffer);
  let offset = 0;
  for (const array of arrays) {
    for (let i = 0; i < array.length; i++, offset += 4) view.setFloat32(offset, array[i]!, true);
  }
  return bytes;
}

/** Reads `sizes[i]` float32 values at a time from little-endian bytes. */
export function decodeFloat32(
  bytes: Uint8Array,
  sizes: readonly number[],
  context: string,
): Float32Array[] {
  const needed = sizes.reduce((sum, n) => sum + n, 0) * 4;
  if (bytes.byteLength !== needed) {
    throw new RangeError(
      `${context}: the weights hold ${bytes.byteLength} bytes, but the manifest describes ${needed}`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 0;
  return sizes.map((size) => {
    const out = new Float32Array(size);
    for (let i = 0; i < size; i++, offset += 4) out[i] = view.getFloat32(offset, true);
    return out;
  });
}

/** Optimizer checkpoint: its config, step count and slots, for resuming training exactly. */
export interface OptimizerJson {
  config: OptimizerConfig;
  iterations: number;
  /** Slot names in the order their arrays sit in the binary file. */
  slots: { name: string; shapes: number[][] }[];
  path: string;
}

export const OPTIMIZER_FILE = 'optimizer.bin';
/** Where save() puts the OptimizerJson, beside model.json. */
export const OPTIMIZER_JSON = 'optimizer.json';

export function optimizerArtifacts(model: Model): { json: OptimizerJson; data: Uint8Array } {
  if (!model.optimizer) throw new Error('save: includeOptimizer needs a compiled model');
  const state = model.optimizer.getState();
  const names = Object.keys(state.slots).sort();
  const shapes = model.trainableWeights.map((w) => [...w.value.shape]);
  const arrays: Float32Array[] = [];
  const slots = names.map((name) => {
    const slotArrays = state.slots[name]!;
    arrays.push(...slotArrays);
    return { name, shapes: slotArrays.map((a, i) => shapes[i] ?? [a.length]) };
  });
  return {
    json: {
      config: model.optimizer.getConfig(),
      iterations: state.iterations,
      slots,
      path: OPTIMIZER_FILE,
    },
    data: encodeFloat32(arrays),
  };
}

export function restoreOptimizer(model: Model, json: OptimizerJson, data: Uint8Array): void {
  const optimizer = createOptimizer(json.config);
  const sizes = json.slots.flatMap((slot) => slot.shapes.map((shape) => sizeOf(shape)));
  const arrays = decodeFloat32(data, sizes, 'loadModel (optimizer)');
  const slots: Record<string, Float32Array[]> = {};
  let next = 0;
  const trainable = model.trainableWeights;
  for (const slot of json.slots) {
    slots[slot.name] = slot.shapes.map((shape, i) => {
      const weight = trainable[i];
      if (weight && sizeOf(weight.value.shape) !== sizeOf(shape)) {
        throw new RangeError(
          `loadModel: optimizer slot ${slot.name}[${i}] has shape ${formatShape(shape)}, but weight ${i} has ${formatShape(weight.value.shape)}`,
        );
      }
      return arrays[next++]!;
    });
  }
  optimizer.setState({ iterations: json.iterations, slots });
  model.optimizer = optimizer;
}
