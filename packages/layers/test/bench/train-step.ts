// Milliseconds per training step of the textbook's models (batch 32, Adam) on random images, for
// profiling the hot path: `node --conditions=source --import tsx packages/layers/test/bench/train-step.ts
// --model 1 --steps 100 --workers 1`. Warm-up steps are left out of the mean.

import { parseArgs } from 'node:util';
import { createRng, Tensor } from '@convoy/tensor';
import { textbookModel } from '../../src/index.js';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: '1' },
    steps: { type: 'string', default: '100' },
    warmup: { type: 'string', default: '10' },
    workers: { type: 'string', default: '1' },
    batch: { type: 'string', default: '32' },
  },
});
const which = Number(values.model) as 1 | 2 | 3;
const steps = Number(values.steps);
const warmup = Number(values.warmup);
const workers = Number(values.workers);
const batchSize = Number(values.batch);

const rng = createRng(1);
const count = (steps + warmup) * batchSize;
const pixels = new Float32Array(count * 28 * 28);
for (let i = 0; i < pixels.length; i++) pixels[i] = rng.int(256) / 255;
const labels = new Int32Array(count);
for (let i = 0; i < count; i++) labels[i] = rng.int(10);

const model = textbookModel(which, { seed: 0 });
let started = 0;
let seen = 0;
const history = await model.fit(
  new Tensor(pixels, [count, 28, 28, 1], 'float32'),
  new Tensor(labels, [count], 'int32'),
  {
    epochs: 1,
    batchSize,
    shuffle: false,
    workers,
    callbacks: {
      onBatchEnd: () => {
        seen += 1;
        if (seen === warmup) started = performance.now();
      },
    },
  },
);
const elapsed = performance.now() - started;
console.log(
  `model ${which} workers ${workers}: ${(elapsed / (seen - warmup)).toFixed(1)} ms/step over ${seen - warmup} steps`,
);
const timing = history.timing!;
console.log(
  `  main thread busy ${(100 * (1 - timing.waitedMs / timing.wallMs)).toFixed(1)}%; per replica and step: ${timing.replicas
    .map(
      (r, i) =>
        `#${i} fwd+bwd ${(r.forwardBackwardMs / timing.steps).toFixed(2)} barrier ${(r.barrierMs / timing.steps).toFixed(2)} update ${(r.updateMs / timing.steps).toFixed(2)}`,
    )
    .join(' | ')}`,
);
