// The filter (and bias) gradient of a conv2d for each example of a batch on its own, side by
// side: what a data-parallel trainer sums in a fixed order so that its result does not depend on
// how the batch was split between threads. One validation for the batch, then one backend call
// per example (a call per example through conv2dBackpropFilter validated and allocated each
// time: twice the cost for the textbook's small layers).

import { type Shape, Tensor } from '@convoy/tensor';
import { activeBackend } from './backend-registry.js';
import {
  type Conv2dBackpropFilterOptions,
  conv2dBackpropFilterGeometry,
  conv2dGradientPrologue,
} from './conv2d.js';
import { outputStorage } from './output.js';
import { expectFloat32 } from './validate.js';

export interface Conv2dPerExampleOptions extends Omit<Conv2dBackpropFilterOptions, 'biasOut'> {
  /**
   * With the fused bias: each example's bias gradient, [batch, outChannels] floats (summed in
   * float64 over the example's pixels, then rounded).
   */
  biasOut?: Float32Array;
}

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
  // The prologue of one example: the same ReLU mask, a bias sum of its own.
  const prologue = conv2dGradientPrologue(
    { reluOutput: options.reluOutput, biasOut: biasOut?.subarray(0, g.outChannels) },
    dy,
    g,
    op,
  );
  const size = g.filterHeight * g.filterWidth * g.inChannels * g.outChannels;
  const inputs = [x.data, dy.data, ...(prologue?.y ? [prologue.y] : [])];
  const out = outputStorage(options.out, g.batch * size, op, { inputs });
  const backend = activeBackend();
  for (let e = 0; e < g.batch; e++) {
    prologue?.biasSums?.fill(0);
    const dw = out.subarray(e * size, (e + 1) * size);
    backend.conv2dBackpropFilter(x.data, dy.data, dw, g, { start: e, end: e + 1 }, prologue);
    if (prologue?.biasSums) biasOut!.set(prologue.biasSums, e * g.outChannels);
  }
  return new Tensor(out, [g.batch, ...filterShape], 'float32');
}
