// pnpm bench:train: ms per training step of the textbook's three models (batch 32, Adam), on one
// data-parallel replica and on every core, alternating so that the machine's drift hits both
// alike; the scaling; how busy each thread was; and with --torch, PyTorch on the same machine in
// the same run and the ratio Convoy / PyTorch. The machine's WebAssembly ceiling (the ops
// micro-kernel on 1 and N threads) is measured before and after. A benchmark, not a test.

import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { measurePeak } from '../peak.js';

import { type ConvoyRun, runConvoy } from './convoy-run.js';
import { trainingData } from './data.js';
import { printTrainTable, writeTrainJson } from './report.js';
import { runTorch, type TorchRun, torchAvailable } from './torch-run.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
// pnpm passes a `--` written before the flags (`pnpm bench:train -- --torch`) through to the script.
const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    models: { type: 'string', default: '1,2,3' },
    workers: { type: 'string', default: String(availableParallelism()) },
    repeats: { type: 'string', default: '3' },
    quick: { type: 'boolean', default: false },
    torch: { type: 'boolean', default: false },
    'torch-script': {
      type: 'string',
      default: join(root, '../shared/anchors/pytorch/fmnist_train.py'),
    },
    python: { type: 'string', default: '/usr/bin/python3' },
  },
});

const models = values.models.split(',').map(Number) as (1 | 2 | 3)[];
const workers = Number(values.workers);
const repeats = values.quick ? 1 : Number(values.repeats);
/** Steps timed per run, after a warm-up: enough for ~2 s of model 1 on one thread. */
const STEPS: Record<1 | 2 | 3, number> = values.quick
  ? { 1: 10, 2: 50, 3: 100 }
  : { 1: 30, 2: 200, 3: 400 };
const WARMUP = 5;

const torchReason = values.torch
  ? torchAvailable(values.python, values['torch-script'])
  : undefined;
if (values.torch && torchReason) console.log(`PyTorch skipped: ${torchReason}`);

console.log(`Machine ceiling (WebAssembly micro-kernel, operands in cache), before:`);
const peakBefore = { one: await measurePeak(1, 1000), all: await measurePeak(workers, 1000) };
console.log(
  `  1 thread ${peakBefore.one.toFixed(1)} GFLOP/s, ${workers} threads ${peakBefore.all.toFixed(1)} GFLOP/s`,
);

const convoy: ConvoyRun[] = [];
const torch: TorchRun[] = [];
for (const which of models) {
  const data = await trainingData((WARMUP + STEPS[which]) * 32);
  // Round -1 is not counted: it brings the replica threads' compiled code (kept across fits) to
  // full speed, as in any training longer than a few hundred steps.
  for (let r = -1; r < repeats; r++) {
    for (const count of workers > 1 ? [1, workers] : [1]) {
      const run = await runConvoy(which, count, data, WARMUP, STEPS[which]);
      if (r < 0) continue;
      convoy.push(run);
      console.log(`  model ${which}, ${count} worker(s): ${run.msPerStep.toFixed(2)} ms/step`);
    }
    if (values.torch && !torchReason && r >= 0) {
      for (const threads of which === 1 && workers > 1 ? [1, workers] : [workers]) {
        const run = runTorch(
          values.python,
          values['torch-script'],
          which,
          threads,
          STEPS[which] * 2,
        );
        torch.push(run);
        console.log(
          `  PyTorch model ${which}, ${threads} thread(s): ${run.msPerStep.toFixed(2)} ms/step`,
        );
      }
    }
  }
}

const peakAfter = { one: await measurePeak(1, 1000), all: await measurePeak(workers, 1000) };
console.log(
  `Machine ceiling after: 1 thread ${peakAfter.one.toFixed(1)}, ${workers} threads ${peakAfter.all.toFixed(1)} GFLOP/s`,
);
printTrainTable({ models, workers, convoy, torch });
const file = writeTrainJson(join(root, 'bench-results'), {
  kind: 'train',
  date: new Date().toISOString(),
  workers,
  peak: { before: peakBefore, after: peakAfter },
  convoy,
  torch,
});
console.log(`\nJSON: ${file}`);
