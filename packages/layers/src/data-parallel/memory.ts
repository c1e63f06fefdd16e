// Everything replicas share, as typed arrays: on SharedArrayBuffers when there are worker replicas
// (posting them to a worker shares, never copies), plain arrays for the one replica on the calling
// thread. The parameters and the optimizer's slots are the model's and optimizer's own storage;
// the rest is allocated here once per fit, sized for the largest batch.

import { allocate, type DType, sizeOf, type Tensor } from '@convoy/tensor';
import { CONTROL_WORDS } from './control.js';
import type { GradientPlan } from './plan.js';

/** A dataset as replicas read it: examples row-major, labels or targets likewise. */
export interface SharedDataset {
  x: Float32Array;
  /** One example's shape, without the batch axis. */
  xShape: number[];
  y: Float32Array | Int32Array | Uint8Array;
  yDtype: DType;
  yShape: number[];
}

export interface ReplicaMemory {
  /** Every weight of the model (trainable or not), in model.weights order. */
  weights: Float32Array[];
  /** The optimizer's slots of each trainable weight, in plan order. */
  slots: Float32Array[][];
  /** batchSize × plan.exampleSize floats: per-example gradients, example after example. */
  exampleGradients: Float32Array;
  /** Whole-batch buffers, `${layer}/${key}`, batchSize × rowSize each. */
  batchBuffers: Record<string, Float32Array | Float64Array>;
  train: SharedDataset;
  /** Data scored by the evaluate command (fit's validation data), with its per-example results. */
  evaluation: { data: SharedDataset; losses: Float64Array; correct: Uint8Array } | undefined;
  /** The epoch's example order: batch k is order[k·batchSize …]. */
  order: Int32Array;
  /** Per-example loss and whether the prediction was right, of the last step or evaluation. */
  losses: Float64Array;
  correct: Uint8Array;
  control: Int32Array;
  /**
   * Where each replica's time goes, milliseconds summed over its steps: replica r's
   * [phase 1, waiting at the phase barrier, phase 2] at r·TIMING_FIELDS (see Replica.step).
   */
  timing: Float64Array;
}

export const TIMING_FIELDS = 3;

/** The typed array of `tensor` on shared memory: itself when it already is, else a copy. */
export function sharedData<D extends DType>(tensor: Tensor<D>, shared: boolean): Tensor<D>['data'] {
  if (!shared || tensor.data.buffer instanceof SharedArrayBuffer) return tensor.data;
  const copy = allocate(tensor.dtype, tensor.size, { shared: true }) as Tensor<D>['data'];
  copy.set(tensor.data as never);
  return copy;
}

export function datasetOf(x: Tensor, y: Tensor, shared: boolean): SharedDataset {
  return {
    x: sharedData(x, shared) as Float32Array,
    xShape: x.shape.slice(1),
    y: sharedData(y, shared) as SharedDataset['y'],
    yDtype: y.dtype,
    yShape: y.shape.slice(1),
  };
}

/** The examples in a dataset. */
export function rowsOf(data: SharedDataset): number {
  return data.x.length / sizeOf(data.xShape);
}

type ArrayKind =
  | Float32ArrayConstructor
  | Float64ArrayConstructor
  | Int32ArrayConstructor
  | Uint8ArrayConstructor;

/** A zeroed array of `length` elements, on a SharedArrayBuffer when `shared`. */
function zeros<K extends ArrayKind>(Kind: K, length: number, shared: boolean): InstanceType<K> {
  if (!shared) return new Kind(length) as InstanceType<K>;
  const OnBuffer = Kind as unknown as new (buffer: ArrayBufferLike) => InstanceType<K>;
  return new OnBuffer(new SharedArrayBuffer(length * Kind.BYTES_PER_ELEMENT));
}

export function allocateMemory(options: {
  plan: GradientPlan;
  weights: Float32Array[];
  slots: Float32Array[][];
  train: SharedDataset;
  evaluation: SharedDataset | undefined;
  batchSize: number;
  replicas: number;
  shared: boolean;
}): ReplicaMemory {
  const { plan, batchSize, shared } = options;
  const batchBuffers: ReplicaMemory['batchBuffers'] = {};
  for (const buffer of plan.buffers) {
    const Kind = buffer.dtype === 'float64' ? Float64Array : Float32Array;
    batchBuffers[`${buffer.layer}/${buffer.key}`] = zeros(Kind, batchSize * buffer.rowSize, shared);
  }
  return {
    weights: options.weights,
    slots: options.slots,
    exampleGradients: zeros(Float32Array, batchSize * plan.exampleSize, shared),
    batchBuffers,
    train: options.train,
    evaluation: options.evaluation && {
      data: options.evaluation,
      losses: zeros(Float64Array, rowsOf(options.evaluation), shared),
      correct: zeros(Uint8Array, rowsOf(options.evaluation), shared),
    },
    order: zeros(Int32Array, rowsOf(options.train), shared),
    losses: zeros(Float64Array, batchSize, shared),
    correct: zeros(Uint8Array, batchSize, shared),
    control: zeros(Int32Array, CONTROL_WORDS, shared),
    timing: zeros(Float64Array, options.replicas * TIMING_FIELDS, shared),
  };
}
