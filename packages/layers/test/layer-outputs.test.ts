// layerOutputs: each layer's output, as Keras's model of intermediate outputs gives them — the
// last one is predict's answer, and each one is what that layer's op makes of the one before.

import { inlineExecutor, reference } from '@convoy/ops';
import { createRng, Tensor } from '@convoy/tensor';
import { describe, expect, it } from 'vitest';
import { dropout, input, layerOutputs, sequential, textbookModel } from '../src/index.js';

function images(count: number, seed: number): Tensor<'float32'> {
  const rng = createRng(seed);
  const data = new Float32Array(count * 28 * 28);
  for (let i = 0; i < data.length; i++) data[i] = rng.next();
  return new Tensor(data, [count, 28, 28, 1], 'float32');
}

describe('layerOutputs', () => {
  it("textbook model 3: one output per layer, with Keras's names and shapes", async () => {
    const model = textbookModel(3, { seed: 4 });
    const outputs = await layerOutputs(model, images(2, 1));
    expect(outputs.map(({ name, className, output }) => [name, className, output.shape])).toEqual([
      ['conv2d', 'Conv2D', [2, 28, 28, 2]],
      ['max_pooling2d', 'MaxPooling2D', [2, 14, 14, 2]],
      ['flatten', 'Flatten', [2, 392]],
      ['dense', 'Dense', [2, 10]],
    ]);
  });

  it("the last output is predict's, number for number (textbook model 1)", async () => {
    const model = textbookModel(1, { seed: 2 });
    const x = images(3, 2);
    const outputs = await layerOutputs(model, x);
    expect(outputs.map((o) => o.name)).toEqual([
      'conv2d',
      'conv2d_1',
      'max_pooling2d',
      'flatten',
      'dense',
      'dense_1',
    ]);
    const predicted = await model.predict(x);
    expect(Array.from(outputs.at(-1)!.output.data)).toEqual(Array.from(predicted.data));
  });

  it('each output is its layer applied to the previous one (plain-loop ops as the oracle)', async () => {
    const model = textbookModel(3, { seed: 7 });
    const x = images(2, 3);
    const [conv, pool, flat, probabilities] = await layerOutputs(model, x, {
      executor: inlineExecutor(),
    });
    const [kernel, bias] = model.layers[0]!.weights.map((w) => w.value);
    const expectedConv = reference.biasAddRelu(
      reference.conv2d(x, kernel!, { padding: 'same' }),
      bias!,
    );
    expect(conv!.output.data).toHaveLength(expectedConv.size);
    conv!.output.data.forEach((value, i) => {
      expect(value).toBeCloseTo(expectedConv.data[i]!, 5);
    });
    const expectedPool = reference.maxPool2d(conv!.output, { poolSize: 2 });
    expect(Array.from(pool!.output.data)).toEqual(Array.from(expectedPool.data));
    expect(Array.from(flat!.output.data)).toEqual(Array.from(pool!.output.data));
    for (let row = 0; row < 2; row++) {
      const sum = probabilities!.output.data
        .subarray(10 * row, 10 * row + 10)
        .reduce((a, b) => a + b);
      expect(sum).toBeCloseTo(1, 5);
    }
  });

  it('runs in inference mode: dropout passes its input through', async () => {
    const model = sequential([input({ shape: [3] }), dropout({ rate: 0.9 })]);
    const x = new Tensor(new Float32Array([1, 2, 3]), [1, 3], 'float32');
    const [out] = await layerOutputs(model, x);
    expect(Array.from(out!.output.data)).toEqual([1, 2, 3]);
  });

  it('the outputs are the caller’s own: a second call does not overwrite the first', async () => {
    const model = textbookModel(3, { seed: 1 });
    const first = await layerOutputs(model, images(1, 5));
    const kept = Array.from(first[0]!.output.data);
    await layerOutputs(model, images(1, 6));
    expect(Array.from(first[0]!.output.data)).toEqual(kept);
  });

  it('rejects an input of the wrong shape, naming both shapes as Keras does', async () => {
    const model = textbookModel(3);
    const wrong = new Tensor(new Float32Array(2 * 27 * 28), [2, 27, 28, 1], 'float32');
    await expect(layerOutputs(model, wrong)).rejects.toThrow(/27, 28, 1/);
  });
});
