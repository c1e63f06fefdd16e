// The one interface every executor offers: the heavy ops (convolution both ways, matrix multiply)
// as async calls that give the same numbers as the synchronous ops. The inline executor runs them
// on this thread; the worker pool shards them across threads.

import type { Shape, Tensor } from '@convoy/tensor';
import type {
  Conv2dBackpropFilterOptions,
  Conv2dBackwardOptions,
  Conv2dForwardOptions,
} from '../conv2d.js';
import type { MatMulOptions } from '../matmul.js';

export interface Executor {
  /** Threads that compute at once (1 for the inline executor). */
  readonly workers: number;
  conv2d(
    x: Tensor<'float32'>,
    filter: Tensor<'float32'>,
    options?: Conv2dForwardOptions,
  ): Promise<Tensor<'float32'>>;
  conv2dBackpropInput(
    dy: Tensor<'float32'>,
    filter: Tensor<'float32'>,
    xShape: Shape,
    options?: Conv2dBackwardOptions,
  ): Promise<Tensor<'float32'>>;
  conv2dBackpropFilter(
    x: Tensor<'float32'>,
    dy: Tensor<'float32'>,
    filterShape: Shape,
    options?: Conv2dBackpropFilterOptions,
  ): Promise<Tensor<'float32'>>;
  matMul(
    a: Tensor<'float32'>,
    b: Tensor<'float32'>,
    options?: MatMulOptions,
  ): Promise<Tensor<'float32'>>;
  /** Ends every thread the executor started; later calls reject. Safe to call twice. */
  close(): Promise<void>;
}

export interface PoolOptions {
  /** Worker threads; default: the available cores (os.availableParallelism / hardwareConcurrency). */
  workers?: number;
  /**
   * Calls below this many floating-point operations run inline on the calling thread (default
   * INLINE_FLOP_THRESHOLD). 0 sends every call to the workers.
   */
  inlineFlopThreshold?: number;
  /**
   * Results of calls without `out` reuse the storage of earlier results the caller has dropped
   * (collected by the garbage collector); this caps the bytes of such released storage the pool
   * keeps for reuse (default 256 MiB). 0 turns reuse off: every call then gets a new
   * SharedArrayBuffer. A result sent to another thread must stay referenced on this one while
   * that thread uses it.
   */
  maxRecycledBytes?: number;
}
