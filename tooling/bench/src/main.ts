// `pnpm bench`: Convoy against TensorFlow.js's WebAssembly backend, in one run, on the same
// shapes: the textbook model 1's second conv layer (forward, input gradient, filter gradient)
// and two matMuls. Convoy runs its sync ops (one thread) and worker executors of 1 and of all cores,
// its convolutions by Winograd and by the direct kernels, with and without a reused `out`.
// Prints a table and the comparisons, and writes JSON to bench-results/ at the repository root.
// A benchmark, not a test: it asserts nothing about speed. `--quick` shortens warm-up and runs.

import { existsSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { conv2d, conv2dBackpropFilter } from '@convoy/ops';
import { randomUniform } from '@convoy/tensor';
import { type BenchCase, benchCases } from './cases.js';
import { convoyBackendName, convoyRunners, openWorkers } from './convoy.js';
import { measurePeak } from './peak.js';
import { type Measurement, printComparisons, printTable, writeJson } from './report.js';
import { FILTER_GRADIENT_STAND_IN, initTfjs, standInOnArrays, tfjsRunner } from './tfjs.js';
import { measureInterleaved } from './timing.js';

/** The micro-kernel peak on each thread count, GFLOP/s. */
async function measurePeaks(threads: number[], durationMs: number): Promise<Map<number, number>> {
  const peaks = new Map<number, number>();
  for (const count of threads) peaks.set(count, await measurePeak(count, durationMs));
  return peaks;
}

function formatPeaks(peaks: Map<number, number>): string {
  return [...peaks]
    .map(
      ([threads, gflops]) =>
        `${gflops.toFixed(1)} GFLOP/s on ${threads} thread${threads === 1 ? '' : 's'}`,
    )
    .join(', ');
}

const quick = process.argv.includes('--quick');
const timing = quick ? { warmupMs: 150, runs: 3 } : { warmupMs: 600, runs: 7 };

function repositoryRoot(): string {
  let directory = resolve('.');
  while (!existsSync(join(directory, 'pnpm-workspace.yaml'))) {
    const parent = dirname(directory);
    if (parent === directory) return resolve('.');
    directory = parent;
  }
  return directory;
}

/** The stand-in must compute the filter gradient: compare it with Convoy's on a small layer. */
function checkStandIn(): number {
  const xShape: [number, number, number, number] = [3, 7, 6, 4];
  const filterShape: [number, number, number, number] = [3, 3, 4, 5];
  const dyShape: [number, number, number, number] = [3, 7, 6, 5];
  const x = randomUniform(xShape, { min: -1, max: 1, seed: 11 });
  const dy = randomUniform(dyShape, { min: -1, max: 1, seed: 12 });
  const convoy = conv2dBackpropFilter(x, dy, filterShape, { padding: 'same' }).data;
  const tfjs = standInOnArrays(x.data, xShape, dy.data, dyShape, filterShape);
  let worst = 0;
  for (let i = 0; i < convoy.length; i++) worst = Math.max(worst, Math.abs(convoy[i]! - tfjs[i]!));
  if (!(worst < 1e-4)) {
    throw new Error(`bench: the tfjs filter-gradient stand-in disagrees with Convoy by ${worst}`);
  }
  return worst;
}

/** Which algorithm conv2d's default ('auto') takes for a conv case: the one whose bits it gives. */
function autoAlgorithm(benchCase: BenchCase): string {
  const { xShape, filterShape, padding } = benchCase.conv!;
  const x = randomUniform([1, ...xShape.slice(1)], { min: -1, max: 1, seed: 21 });
  const filter = randomUniform(filterShape, { min: -1, max: 1, seed: 22 });
  const auto = conv2d(x, filter, { padding }).data;
  const same = (algorithm: 'direct' | 'winograd') => {
    const result = conv2d(x, filter, { padding, algorithm }).data;
    return result.every((value, i) => Object.is(value, auto[i]));
  };
  return same('winograd') ? 'winograd' : same('direct') ? 'direct' : 'neither?';
}

async function main(): Promise<void> {
  const allWorkers = availableParallelism();
  const tfjs = await initTfjs();
  const standInError = checkStandIn();
  console.log(
    `Convoy backend: ${convoyBackendName()} · tfjs ${tfjs.version} on '${tfjs.backend}' (SIMD ${tfjs.simd}, ${tfjs.threads} thread${tfjs.threads === 1 ? '' : 's'}: tfjs-backend-wasm does not use threads in Node) · ${allWorkers} cores (${cpus()[0]?.model ?? 'unknown CPU'})`,
  );
  console.log(
    `Filter gradient in tfjs: ${FILTER_GRADIENT_STAND_IN} (checked: max |Δ| vs Convoy ${standInError.toExponential(1)})`,
  );
  const loadBefore = loadavg()[0]!;
  console.log(
    `Timing: warm-up ≥ ${timing.warmupMs} ms per runner (a worker runner without out also until its executor went 10 calls without a new result buffer: the recycler's steady state), then ${timing.runs} interleaved rounds; medians. Load average now ${loadBefore.toFixed(2)} on ${allWorkers} cores${loadBefore > 0.5 ? ' (other work is running: expect noise)' : ''}.\n`,
  );

  const peakMs = quick ? 150 : 600;
  const peakThreads = allWorkers > 1 ? [1, allWorkers] : [1];
  const peakBefore = await measurePeaks(peakThreads, peakMs);
  console.log(`Machine peak now (micro-kernel, in cache): ${formatPeaks(peakBefore)}.\n`);

  const convCase = benchCases.find((c) => c.conv);
  if (convCase) {
    console.log(
      `conv2d's default algorithm ('auto') on this layer: ${autoAlgorithm(convCase)}. GFLOP/s eff. = the direct algorithm's operations ÷ time; real = the operations performed (Winograd F(4×4, 3×3): its GEMMs', 4× fewer; transforms not counted); of peak = real ÷ the peak on as many threads.\n`,
    );
  }

  const workerCounts = allWorkers > 1 ? [1, allWorkers] : [1];
  const executors = workerCounts.map((workers) => ({ workers, executor: openWorkers(workers) }));
  const measurements: Measurement[] = [];
  try {
    for (const benchCase of benchCases) {
      const peer = tfjsRunner(benchCase);
      const runners = [
        {
          runner: 'tfjs-wasm',
          kind: 'tfjs' as const,
          workers: 1,
          out: false,
          realFlops: benchCase.flops,
          run: peer.run,
          settled: undefined,
          note: peer.note,
        },
        ...convoyRunners(benchCase, executors),
      ];
      const timings = await measureInterleaved(runners, timing);
      const tfjsMs = timings[0]!.medianMs;
      runners.forEach(({ run: _run, settled: _settled, realFlops, ...runner }, index) => {
        const result = timings[index]!;
        measurements.push({
          caseName: benchCase.name,
          ...runner,
          flops: benchCase.flops,
          medianMs: result.medianMs,
          minMs: result.minMs,
          gflops: benchCase.flops / result.medianMs / 1e6,
          realGflops: realFlops / result.medianMs / 1e6,
          ...(index > 0 ? { speedVsTfjs: tfjsMs / result.medianMs } : {}),
          samplesMs: result.samplesMs,
        });
      });
    }
  } finally {
    await Promise.all(executors.map(({ executor }) => executor.close()));
  }

  const peakAfter = await measurePeaks(peakThreads, peakMs);
  console.log(`Machine peak after the cases: ${formatPeaks(peakAfter)}.\n`);
  // Each runner against the ceiling of as many threads as it computes on, before and after averaged.
  const peak = new Map(
    peakThreads.map((threads) => [
      threads,
      (peakBefore.get(threads)! + peakAfter.get(threads)!) / 2,
    ]),
  );
  for (const m of measurements) m.ofPeak = m.realGflops / peak.get(m.workers)!;

  printTable(measurements);
  const comparisons = printComparisons(measurements, allWorkers);
  const file = writeJson(join(repositoryRoot(), 'bench-results'), {
    date: new Date().toISOString(),
    node: process.version,
    cpu: cpus()[0]?.model,
    cores: allWorkers,
    convoyBackend: convoyBackendName(),
    tfjs: {
      ...tfjs,
      filterGradient: FILTER_GRADIENT_STAND_IN,
      threadsNote: 'tfjs-backend-wasm does not use threads in Node',
    },
    timing,
    peakGflops: { before: Object.fromEntries(peakBefore), after: Object.fromEntries(peakAfter) },
    loadAverage: { before: loadBefore, after: loadavg()[0] },
    measurements,
    ...comparisons,
  });
  console.log(`\nWrote ${file}`);
}

await main();
