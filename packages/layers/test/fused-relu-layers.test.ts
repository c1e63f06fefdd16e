// Conv2D and Dense with a bias and ReLU run the fused ops (Conv2D's gradients read dy through
// the ReLU and sum the bias gradient in the kernels) on a loop executor, which reuses the results'
// storage across steps. Their
// outputs and gradients must equal, exactly, the unfused composition the layers ran before
// (conv/matMul, biasAdd, relu; reluBackward, biasAddBackward, the product's backwards), step
// after step, so a reused buffer never leaks one step's numbers into the next.

import * as ops from '@convoy/ops';
import { createRng, randomUniform, type Tensor } from '@convoy/tensor';
import { describe, expect, it } from 'vitest';
import { conv2d, dense, type RunContext } from '../src/index.js';

const loop = ops.inlineExecutor().loop();
const context: RunContext = { training: true, executor: loop, rng: createRng(1) };

function unfusedConv(
  x: Tensor<'float32'>,
  kernel: Tensor<'float32'>,
  bias: Tensor<'float32'>,
  dy: Tensor<'float32'>,
) {
  const options = { padding: 'same' as const };
  const z = ops.biasAdd(ops.conv2d(x, kernel, options), bias);
  const y = ops.relu(z);
  const dz = ops.reluBackward(dy, z);
  return {
    y,
    dKernel: ops.conv2dBackpropFilter(x, dz, kernel.shape, options),
    dBias: ops.biasAddBackward(dz),
    dx: ops.conv2dBackpropInput(dz, kernel, x.shape, options),
  };
}

function unfusedDense(
  x: Tensor<'float32'>,
  kernel: Tensor<'float32'>,
  bias: Tensor<'float32'>,
  dy: Tensor<'float32'>,
) {
  const z = ops.biasAdd(ops.matMul(x, kernel), bias);
  const y = ops.relu(z);
  const dz = ops.reluBackward(dy, z);
  return {
    y,
    dKernel: ops.matMul(x, dz, { transposeA: true }),
    dBias: ops.biasAddBackward(dz),
    dx: ops.matMul(dz, kernel, { transposeB: true }),
  };
}

describe('layers with bias + ReLU equal the unfused ops exactly', () => {
  it.each([1, 3, 64])('Conv2D, 3x3 same, channels in 3, filters %i, two steps', async (filters) => {
    const layer = conv2d({ filters, kernelSize: 3, activation: 'relu', padding: 'same' });
    layer.build([null, 7, 5, 3], createRng(2));
    const [kernel, bias] = layer.weights.map((w) => w.value) as [
      Tensor<'float32'>,
      Tensor<'float32'>,
    ];
    bias.data.set(randomUniform([filters], { min: -0.3, max: 0.3, seed: 3 }).data);
    const storage = new Set<ArrayBufferLike>();
    for (const seed of [10, 20]) {
      loop.step();
      const x = randomUniform([2, 7, 5, 3], { min: -1, max: 1, seed });
      const dy = randomUniform([2, 7, 5, filters], { min: -1, max: 1, seed: seed + 1 });
      const expected = unfusedConv(x, kernel, bias, dy);
      const y = await layer.forward(x, context);
      storage.add(y.data.buffer);
      expect(y.data).toEqual(expected.y.data);
      const { dx, grads } = await layer.backward(dy, context, { needInputGradient: true });
      expect(grads[0]!.data).toEqual(expected.dKernel.data);
      expect(grads[1]!.data).toEqual(expected.dBias.data);
      expect(dx!.data).toEqual(expected.dx.data);
    }
    // The second step wrote its output where the first did.
    expect(storage.size).toBe(1);
  });

  it('Dense, 9 → 6 units, batch 4, two steps', async () => {
    const layer = dense({ units: 6, activation: 'relu' });
    layer.build([null, 9], createRng(4));
    const [kernel, bias] = layer.weights.map((w) => w.value) as [
      Tensor<'float32'>,
      Tensor<'float32'>,
    ];
    bias.data.set(randomUniform([6], { min: -0.3, max: 0.3, seed: 5 }).data);
    for (const seed of [30, 40]) {
      loop.step();
      const x = randomUniform([4, 9], { min: -1, max: 1, seed });
      const dy = randomUniform([4, 6], { min: -1, max: 1, seed: seed + 1 });
      const expected = unfusedDense(x, kernel, bias, dy);
      const y = await layer.forward(x, context);
      expect(y.data).toEqual(expected.y.data);
      const { dx, grads } = await layer.backward(dy, context, { needInputGradient: true });
      expect(grads[0]!.data).toEqual(expected.dKernel.data);
      expect(grads[1]!.data).toEqual(expected.dBias.data);
      expect(dx!.data).toEqual(expected.dx.data);
    }
  });
});
