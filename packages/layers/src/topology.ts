// The model's architecture as tf.keras serializes it (`model.to_json()`): class_name 'Sequential'
// with each layer's class_name and snake_case config, which is also what TensorFlow.js reads as a
// LayersModel's `modelTopology`. And the way back: a layer from its Keras config.

import type { Layer } from './layer.js';
import { BatchNormalization } from './layers/batch-normalization.js';
import { Conv2D } from './layers/conv2d.js';
import { Dense } from './layers/dense.js';
import { Dropout } from './layers/dropout.js';
import { Flatten } from './layers/flatten.js';
import { GlobalAveragePooling2D } from './layers/global-pooling.js';
import { InputLayer } from './layers/input.js';
import { AveragePooling2D, MaxPooling2D } from './layers/pooling.js';
import type { Model } from './model.js';

/** The Keras version whose config layout this follows (tf.keras 2.x). */
export const KERAS_VERSION = '2.8.0';

export interface LayerJson {
  class_name: string;
  config: Record<string, unknown>;
}

export interface ModelTopology {
  class_name: 'Sequential';
  config: { name: string; layers: LayerJson[] };
  keras_version: string;
  backend: 'tensorflow';
}

export function modelTopology(model: Model): ModelTopology {
  const layers: LayerJson[] = [];
  const firstDeclares = model.layers[0]?.declaredInputShape !== undefined;
  if (model.inputLayer) {
    layers.push({ class_name: 'InputLayer', config: model.inputLayer.getConfig() });
  } else if (!firstDeclares && model.inputShape) {
    // Built from data: record the shape it was built for, so a loader can rebuild it.
    const synthetic = new InputLayer({
      shape: model.inputShape.slice(1) as number[],
      name: 'input_1',
    });
    layers.push({ class_name: 'InputLayer', config: synthetic.getConfig() });
  }
  for (const layer of model.layers)
    layers.push({ class_name: layer.className, config: layer.getConfig() });
  return {
    class_name: 'Sequential',
    config: { name: model.name, layers },
    keras_version: KERAS_VERSION,
    backend: 'tensorflow',
  };
}

type Config = Record<string, unknown>;

function pairFrom(value: unknown): [number, number] | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') return [value, value];
  return value as [number, number];
}

/** batch_input_shape [null, 28, 28, 1] → inputShape [28, 28, 1]. */
function inputShapeFrom(config: Config): number[] | undefined {
  const batchShape = config.batch_input_shape ?? config.batch_shape;
  return Array.isArray(batchShape) ? (batchShape.slice(1) as number[]) : undefined;
}

function checkChannelsLast(className: string, config: Config): void {
  if (config.data_format !== undefined && config.data_format !== 'channels_last') {
    throw new RangeError(
      `loadModel: ${className} "${String(config.name)}" uses data_format ${String(config.data_format)}; only channels_last is supported`,
    );
  }
}

function common(config: Config): { name?: string; inputShape?: number[] } {
  const args: { name?: string; inputShape?: number[] } = {};
  if (typeof config.name === 'string') args.name = config.name;
  const inputShape = inputShapeFrom(config);
  if (inputShape) args.inputShape = inputShape;
  return args;
}

const layerFromConfig: Record<string, (config: Config) => Layer> = {
  Conv2D: (c) =>
    new Conv2D({
      ...common(c),
      filters: c.filters as number,
      kernelSize: pairFrom(c.kernel_size) as [number, number],
      strides: pairFrom(c.strides),
      padding: c.padding as 'same' | 'valid',
      dilationRate: pairFrom(c.dilation_rate),
      activation: c.activation as Conv2D['activation'],
      useBias: c.use_bias as boolean | undefined,
    }),
  MaxPooling2D: (c) =>
    new MaxPooling2D({
      ...common(c),
      poolSize: pairFrom(c.pool_size),
      strides: pairFrom(c.strides),
      padding: c.padding as 'same' | 'valid',
    }),
  AveragePooling2D: (c) =>
    new AveragePooling2D({
      ...common(c),
      poolSize: pairFrom(c.pool_size),
      strides: pairFrom(c.strides),
      padding: c.padding as 'same' | 'valid',
    }),
  GlobalAveragePooling2D: (c) => {
    if (c.keepdims === true) {
      throw new RangeError(
        `loadModel: GlobalAveragePooling2D "${String(c.name)}" keeps its pooled axes (keepdims: true); only keepdims: false is supported`,
      );
    }
    return new GlobalAveragePooling2D(common(c));
  },
  Flatten: (c) => new Flatten(common(c)),
  Dense: (c) =>
    new Dense({
      ...common(c),
      units: c.units as number,
      activation: c.activation as Dense['activation'],
      useBias: c.use_bias as boolean | undefined,
    }),
  Dropout: (c) => new Dropout({ ...common(c), rate: c.rate as number }),
  BatchNormalization: (c) => {
    const axis = Array.isArray(c.axis) ? c.axis : [c.axis ?? -1];
    if (axis.length !== 1 || (axis[0] !== -1 && axis[0] !== 3 && axis[0] !== 1)) {
      throw new RangeError(
        `loadModel: BatchNormalization "${String(c.name)}" normalizes axis ${JSON.stringify(c.axis)}; only the last axis is supported`,
      );
    }
    return new BatchNormalization({
      ...common(c),
      momentum: c.momentum as number | undefined,
      epsilon: c.epsilon as number | undefined,
    });
  },
};

export const SUPPORTED_LAYERS = ['InputLayer', ...Object.keys(layerFromConfig)];

/**
 * The layers of a Sequential topology. Accepts tf.keras's `{ class_name, config: { layers } }`,
 * the converter's `{ model_config: … }` wrapper, and Keras 2.0's bare list of layers.
 */
export function layersFromTopology(topology: unknown): {
  name: string;
  layers: (Layer | InputLayer)[];
} {
  const root = ((topology as { model_config?: unknown })?.model_config ?? topology) as {
    class_name?: string;
    config?: { name?: string; layers?: LayerJson[] } | LayerJson[];
  };
  if (root?.class_name !== 'Sequential') {
    throw new RangeError(
      `loadModel: only Sequential models can be loaded, got class_name ${String(root?.class_name)}`,
    );
  }
  const layerList = Array.isArray(root.config) ? root.config : root.config?.layers;
  if (!Array.isArray(layerList))
    throw new RangeError('loadModel: the topology has no config.layers list');
  const name = (!Array.isArray(root.config) && root.config?.name) || 'sequential';
  const layers = layerList.map((entry: unknown, index): Layer | InputLayer => {
    if (
      entry === null ||
      typeof entry !== 'object' ||
      typeof (entry as LayerJson).class_name !== 'string' ||
      !isConfig((entry as LayerJson).config ?? {})
    )
      throw new RangeError(
        `loadModel: layer ${index} of the topology must be { class_name, config: {…} }, got ${JSON.stringify(entry)?.slice(0, 80)}`,
      );
    return layerFrom(entry as LayerJson);
  });
  return { name, layers };
}

function isConfig(value: unknown): value is Config {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function layerFrom(entry: LayerJson): Layer | InputLayer {
  const config = entry.config ?? {};
  if (entry.class_name === 'InputLayer') {
    const shape = inputShapeFrom(config);
    if (!shape) throw new RangeError('loadModel: InputLayer has no batch_input_shape');
    return new InputLayer({ shape, name: config.name as string | undefined });
  }
  const make = Object.hasOwn(layerFromConfig, entry.class_name)
    ? layerFromConfig[entry.class_name]
    : undefined;
  if (!make) {
    throw new RangeError(
      `loadModel: unknown layer class ${entry.class_name}; supported: ${SUPPORTED_LAYERS.join(', ')}`,
    );
  }
  checkChannelsLast(entry.class_name, config);
  return make(config);
}
