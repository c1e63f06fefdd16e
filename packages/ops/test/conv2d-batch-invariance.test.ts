// Batch-grouping invariance, which the data-parallel trainer relies on for bit-identical weights
// on 1, 2 or 4 workers: for conv2d forward (with its fused bias and ReLU) and conv2dBackpropInput
// (with its ReLU prologue), an example's result must not depend on which other examples share the
// call, nor on the call's batch size or range. Checked bit for bit, for every algorithm and every
// backend, on the textbook's conv layers: 16 examples in one call against the same examples
// split 8 + 8 and 1 + 15 (separate calls on separate tensors), and against the kernel run over a
// range of the whole batch (how the worker executors' shards call it).

import { Tensor } from '@convoy/tensor';
import { describe, it } from 'vitest';
import { conv2dBackpropInputGeometry, conv2dGeometry } from '../src/conv2d.js';
import type { ConvAlgorithm } from '../src/conv2d-algorithm.js';
import { kernelOpsOn } from '../src/index.js';
import { everyBackend } from './helpers/backends.js';
import { randomTensor } from './helpers/random.js';
import { expectSameFloats } from './wasm/exact.js';

const BATCH = 16;
const SPLITS = [
  [8, 8],
  [1, 15],
];

/** Model 1's two conv layers and model 3's (2 filters: the direct kernel's case). */
const layers = [
  { name: 'model 1 conv 1', inChannels: 1, outChannels: 32 },
  { name: 'model 1 conv 2', inChannels: 32, outChannels: 64 },
  { name: 'model 3 conv 1', inChannels: 1, outChannels: 2 },
];

const algorithms: ConvAlgorithm[] = ['auto', 'direct', 'winograd'];

/** Items [start, end) of a batch tensor, as a tensor of their own (copied: separate storage). */
function items(t: Tensor<'float32'>, start: number, end: number): Tensor<'float32'> {
  const itemSize = t.size / t.shape[0]!;
  const data = t.data.slice(start * itemSize, end * itemSize);
  return new Tensor(data, [end - start, ...t.shape.slice(1)], 'float32');
}

/** The same op on each part of a split, concatenated. */
function concatenated(parts: Tensor<'float32'>[]): Float32Array {
  const out = new Float32Array(parts.reduce((size, part) => size + part.size, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part.data, offset);
    offset += part.size;
  }
  return out;
}

function splitPoints(split: number[]): [number, number][] {
  let start = 0;
  return split.map((count) => {
    const range: [number, number] = [start, start + count];
    start += count;
    return range;
  });
}

describe.each(everyBackend)('batch-grouping invariance on $name', ({ backend }) => {
  const on = kernelOpsOn(backend);
  describe.each(layers)('$name', ({ inChannels, outChannels }) => {
    const x = randomTensor([BATCH, 28, 28, inChannels], 1);
    const filter = randomTensor([3, 3, inChannels, outChannels], 2, { min: -0.3, max: 0.3 });
    const bias = randomTensor([outChannels], 3, { min: -0.2, max: 0.2 });
    const dy = randomTensor([BATCH, 28, 28, outChannels], 4);

    describe.each(algorithms)('algorithm %s', (algorithm) => {
      const forwardOptions = { padding: 'same', bias, activation: 'relu', algorithm } as const;
      const whole = on.conv2d(x, filter, forwardOptions);
      const backwardOptions = { padding: 'same', reluOutput: whole, algorithm } as const;
      const dxWhole = on.conv2dBackpropInput(dy, filter, x.shape, backwardOptions);

      it.each(SPLITS)(
        'forward with bias + ReLU: %i + %i examples give the bits of one call',
        (...split) => {
          const parts = splitPoints(split).map(([start, end]) =>
            on.conv2d(items(x, start, end), filter, forwardOptions),
          );
          expectSameFloats(concatenated(parts), whole.data);
        },
      );

      it.each(SPLITS)(
        'input gradient through the ReLU: %i + %i examples give the bits of one call',
        (...split) => {
          const parts = splitPoints(split).map(([start, end]) =>
            on.conv2dBackpropInput(
              items(dy, start, end),
              filter,
              [end - start, 28, 28, inChannels],
              {
                ...backwardOptions,
                reluOutput: items(whole, start, end),
              },
            ),
          );
          expectSameFloats(concatenated(parts), dxWhole.data);
        },
      );

      it.each([
        [3, 5, 8],
        [15, 1],
      ])(
        "both, run over ranges %i, %i, … of the whole batch (as a worker executor's shards do), give the same bits",
        (...split) => {
          const g = conv2dGeometry(x.shape, filter.shape, forwardOptions);
          const gInput = conv2dBackpropInputGeometry(
            x.shape,
            filter.shape,
            dy.shape,
            backwardOptions,
          );
          const out = new Float32Array(whole.size);
          const dx = new Float32Array(x.size);
          const epilogue = { bias: bias.data, relu: true };
          const prologue = { y: whole.data, biasSums: undefined };
          for (const [start, end] of splitPoints(split)) {
            backend.conv2d(x.data, filter.data, out, g, { start, end }, epilogue);
            backend.conv2dBackpropInput(dy.data, filter.data, dx, gInput, { start, end }, prologue);
          }
          expectSameFloats(out, whole.data);
          expectSameFloats(dx, dxWhole.data);
        },
      );
    });
  });
});
