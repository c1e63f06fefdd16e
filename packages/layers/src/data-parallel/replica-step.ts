// What a layer sees of a data-parallel step (RunContext.replica): which rows of the batch this
// replica holds, and the engine's storage for what crosses replicas — per-example weight
// gradients, whole-batch buffers — plus a barrier for layers whose forward needs the whole batch
// (batch normalization's statistics).

import type { Rng } from '@convoy/tensor';
import type { Layer } from '../layer.js';

export interface ReplicaStep {
  /** The first row of the batch this replica holds. */
  readonly start: number;
  /** How many rows it holds (possibly 0 when the batch has fewer rows than there are replicas). */
  readonly count: number;
  /** The rows of the whole batch: the n of every mean over the batch. */
  readonly batchSize: number;
  /** The step's number (the optimizer's iterations before it): seeds per-example randomness. */
  readonly iteration: number;
  /**
   * Where the gradients of `layer`'s trainable weight `weight` (a 'per-example' weight) for this
   * replica's rows go: count × the weight's size floats, example after example, overwritten by
   * the layer.
   */
  exampleGradients(layer: Layer, weight: number): Float32Array;
  /**
   * `layer`'s whole-batch buffer `key` (declared in replicaBuffers): rowSize numbers per example,
   * example after example, shared by every replica; each writes only its own rows.
   */
  batchBuffer(layer: Layer, key: string): Float32Array;
  /** The float64 twin of batchBuffer, for sums that must not round before they are combined. */
  batchSums(layer: Layer, key: string): Float64Array;
  /** A random stream of its own for one example of this step and layer (dropout masks). */
  exampleRng(layer: Layer, example: number): Rng;
  /** Returns when every replica holding rows of this batch has called it as often. */
  barrier(): void;
}
