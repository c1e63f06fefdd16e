// The filter (and bias) gradient of a conv2d for each example of a batch on its own, side by
// side: what a data-parallel trainer sums in a fixed order so that its result does not depend on
// how the batch was split between threads. One validation for the batch, then one backend call
// per example (a call per example through conv2dBackpropFilter validated and allocated each
// time: twice the cost for the textbook's small layers). Split over the batch, each example's
// slot is written by one shard only.

import { type Shape, Tensor } from '@convoy/tensor';
import { activeBackend } from './backend-registry.js';
import {
  type Conv2dBackpropFilterOptions,
  checkGradientPrologue,
  conv2dBackpropFilterGeometry,
  conv2dFlops,
} from './conv2d.js';
import type { ConvGeometry } from './conv2d-algorithm.js';
import { f32, type KernelDefinition, upTo } from './kernel.js';
import { runKernel } from './run.js';
import { expectFloat32 } from './validate.js';

export interface Conv2dPerExampleOptions extends Omit<Conv2dBackpropFilterOptions, 'biasOut'> {
  /**
   * With the fused bias: each example's bias gradient, [batch, outChannels] floats (summed in
   * float64 over the example's pixels, then rounded).
   */
  biasOut?: Float32Array;
}

type PerExampleArgs = [
  x: Tensor<'float32'>,
  dy: Tensor<'float32'>,
  filterShape: Shape,
  options?: Conv2dPerExampleOptions,
];

/** Each example's filter (and bias) gradient into its own slot: split over the batch. */
export const conv2dBackpropFilterPerExampleKernel: KernelDefinition<
  PerExampleArgs,
  Tensor<'float32'>,
  ConvGeometry
> = {
  name: 'conv2dBackpropFilterPerExample',
  plan([x, dy, filterShape, options = {}]) {
    const op = 'conv2dBackpropFilterPerExample';
    expectFloat32(x, op, 'input');
    expectFloat32(dy, op, 'dy');
    const g = conv2dBackpropFilterGeometry(x.shape, filterShape, dy.shape, options);
    const { biasOut } = options;
    if (biasOut !== undefined && biasOut.length !== g.batch * g.outChannels) {
      throw new RangeError(
        `${op}: biasOut must hold one value per example and output channel (${g.batch} × ${g.outChannels}), got ${biasOut?.length}`,
      );
    }
    // Checks the ReLU's output and the first example's bias slot as the batch filter gradient would.
    checkGradientPrologue(
      { reluOutput: options.reluOutput, biasOut: biasOut?.subarray(0, g.outChannels) },
      dy,
      g,
      op,
    );
    const size = g.filterHeight * g.filterWidth * g.inChannels * g.outChannels;
    return {
      op,
      inputs: { x: x.data, dy: dy.data, y: options.reluOutput?.data },
      outputs: {
        dw: { size: g.batch * size, given: options.out, shards: 'part' },
        ...(biasOut && {
          bias: { size: biasOut.length, given: biasOut, shards: 'part' as const },
        }),
      },
      geometry: g,
      flops: conv2dFlops(g),
      items: g.batch,
      whole: upTo(g.batch),
    };
  },
  compute(backend, a, g, batch) {
    const size = g.filterHeight * g.filterWidth * g.inChannels * g.outChannels;
    const y = a.y as Float32Array | undefined;
    const bias = a.bias as Float32Array | undefined;
    const biasSums = bias ? new Float64Array(g.outChannels) : undefined;
    const prologue = y || biasSums ? { y, biasSums } : undefined;
    const dw = f32(a.dw);
    for (let e = batch.start; e < batch.end; e++) {
      biasSums?.fill(0);
      const slot = dw.subarray(e * size, (e + 1) * size);
      backend.conv2dBackpropFilter(
        f32(a.x),
        f32(a.dy),
        slot,
        g,
        { start: e, end: e + 1 },
        prologue,
      );
      if (biasSums) bias!.set(biasSums, e * g.outChannels);
    }
  },
  result: (call, { dw }, [, , filterShape]) =>
    new Tensor(dw as Float32Array, [call.geometry.batch, ...filterShape], 'float32'),
};

/**
 * The gradient of conv2d with respect to its filter for each example of the batch separately:
 * [batch, ...filterShape], example e's equal to conv2dBackpropFilter on that example alone. `out`
 * (batch × filter size floats) receives it when given.
 */
export function conv2dBackpropFilterPerExample(
  x: Tensor<'float32'>,
  dy: Tensor<'float32'>,
  filterShape: Shape,
  options: Conv2dPerExampleOptions = {},
): Tensor<'float32'> {
  return runKernel(activeBackend(), conv2dBackpropFilterPerExampleKernel, [
    x,
    dy,
    filterShape,
    options,
  ]);
}
