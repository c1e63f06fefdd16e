// relu(x + bias) fused into one pass, with its backward (relu's mask and the bias gradient in one
// pass too). A Conv2D or Dense layer with a ReLU runs these instead of biasAdd, relu,
// reluBackward and biasAddBackward: the same numbers, with two passes over the biggest
// activations of the network saved each way, and no intermediate tensor to allocate. The
// backward is a kernel definition (kernel.ts) on the active backend's biasAddReluBackward kernel
// (WebAssembly SIMD where the runtime has it).

import { allocate, formatShape, Tensor } from '@convoy/tensor';
import type { ChannelGeometry } from './backend.js';
import { activeBackend } from './backend-registry.js';
import { f32, type KernelDefinition, upTo } from './kernel.js';
import { runKernel } from './run.js';
import { expectFloat32, expectSameShape } from './validate.js';

export interface BiasAddReluOptions {
  /**
   * Write the result over x's storage instead of allocating (default false). Only for a caller
   * that owns x and no longer needs it, like a layer with the fresh output of its convolution.
   */
  inPlace?: boolean;
}

function expectBiasPerChannel(op: string, x: Tensor<'float32'>, bias: Tensor<'float32'>): number {
  const channels = x.shape[x.rank - 1];
  if (x.rank < 1 || bias.rank !== 1 || channels === undefined || bias.shape[0] !== channels) {
    throw new RangeError(
      `${op}: bias must be rank 1 with one value per element of the input's last axis: input ${formatShape(x.shape)}, bias ${formatShape(bias.shape)}`,
    );
  }
  return channels;
}

/** max(x + bias, 0), bias over the last axis; exactly relu(biasAdd(x, bias)). */
export function biasAddRelu(
  x: Tensor<'float32'>,
  bias: Tensor<'float32'>,
  options: BiasAddReluOptions = {},
): Tensor<'float32'> {
  const op = 'biasAddRelu';
  expectFloat32(x, op, 'input');
  expectFloat32(bias, op, 'bias');
  const channels = expectBiasPerChannel(op, x, bias);
  const input = x.data;
  const out = options.inPlace ? input : allocate('float32', x.size);
  const biasData = bias.data;
  // Rounding the sum to float32 after the max instead of before (as biasAdd then relu do) gives
  // the same float32: rounding is monotonic and keeps 0, so it commutes with max(·, 0).
  for (let base = 0; base < input.length; base += channels) {
    for (let c = 0; c < channels; c++) {
      out[base + c] = Math.max(input[base + c]! + biasData[c]!, 0);
    }
  }
  return options.inPlace ? x : new Tensor(out, x.shape, 'float32');
}

export interface BiasAddReluBackwardOptions {
  /**
   * Storage for dx (dy's size; dy's own storage too), for a caller that reuses it across calls;
   * by default dx is allocated. For a worker executor it must sit on shared memory.
   */
  out?: Float32Array;
}

export interface BiasAddReluGradients {
  /** dy where the forward's output was positive, else 0. */
  dx: Tensor<'float32'>;
  /** dx summed over every axis but the last. */
  dBias: Tensor<'float32'>;
}

type BiasAddReluBackwardArgs = [
  dy: Tensor<'float32'>,
  y: Tensor<'float32'>,
  options?: BiasAddReluBackwardOptions,
];

/** dx split over rows; the bias gradient's float64 sums a whole partial per shard, added. */
export const biasAddReluBackwardKernel: KernelDefinition<
  BiasAddReluBackwardArgs,
  BiasAddReluGradients,
  ChannelGeometry
> = {
  name: 'biasAddReluBackward',
  plan([dy, y, options = {}]) {
    const op = 'biasAddReluBackward';
    expectFloat32(dy, op, 'dy');
    expectFloat32(y, op, 'y');
    expectSameShape(dy.shape, y.shape, op, 'dy', 'y');
    if (y.rank < 1) {
      throw new RangeError(
        `${op}: y must have at least one axis, got shape ${formatShape(y.shape)}`,
      );
    }
    const channels = y.shape[y.rank - 1]!;
    const out = options.out;
    if (out !== undefined && out.length !== y.size) {
      throw new RangeError(
        `${op}: out must hold ${y.size} elements (the size of dy ${formatShape(dy.shape)}), got ${out.length}`,
      );
    }
    const rows = channels === 0 ? 0 : y.size / channels;
    return {
      op,
      inputs: { dy: dy.data, y: y.data },
      outputs: {
        // Elementwise: dx may be written over dy itself.
        dx: { size: y.size, given: out, mayOverlapInputs: true, shards: 'part' },
        biasSums: { size: channels, float64: true, shards: 'sum' },
      },
      geometry: { channels },
      // A compare and an add per element.
      flops: 2 * y.size,
      items: rows,
      whole: upTo(rows),
    };
  },
  compute(backend, a, g, rows) {
    const biasSums = a.biasSums as Float64Array;
    backend.biasAddReluBackward(f32(a.dy), f32(a.y), f32(a.dx), biasSums, g, rows);
  },
  result: (_call, { dx, biasSums }, [, y]) => ({
    dx: new Tensor(dx as Float32Array, y.shape, 'float32'),
    dBias: new Tensor(Float32Array.from(biasSums!), [biasSums!.length], 'float32'),
  }),
};

/**
 * Gradients of y = biasAddRelu(x, bias) from dy and the forward's output y: y > 0 exactly where
 * x + bias > 0, so y stands in for the pre-activation and nothing else needs keeping. Equals
 * reluBackward(dy, x + bias) and biasAddBackward of that (dBias is summed in float64 in the same
 * order, so it is the same bits).
 */
export function biasAddReluBackward(
  dy: Tensor<'float32'>,
  y: Tensor<'float32'>,
  options: BiasAddReluBackwardOptions = {},
): BiasAddReluGradients {
  return runKernel(activeBackend(), biasAddReluBackwardKernel, [dy, y, options]);
}
