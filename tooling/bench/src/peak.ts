// The machine's ceiling in this run: @convoy/ops's WebAssembly micro-kernel on cache-resident
// operands, on one thread and on N threads at once (each its own worker_thread, started together).
// These machines are shared and their speed drifts, so the kernels' GFLOP/s are also given as a
// share of this ceiling, measured before and after the cases.

import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { measureKernelPeak } from '@convoy/ops';

/** Summed GFLOP/s of `threads` threads running the micro-kernel at the same time. */
export async function measurePeak(threads: number, durationMs: number): Promise<number> {
  if (threads === 1) return measureKernelPeak(durationMs);
  // The bench runs from TypeScript through tsx, so each worker registers tsx's loader before it
  // imports the TypeScript module (tsx's --import flag in a worker's execArgv did not take here).
  const api = import.meta.resolve('tsx/esm/api');
  const target = new URL('./peak-worker.ts', import.meta.url).href;
  const entry = `(async () => { const { register } = await import(${JSON.stringify(api)}); register(); await import(${JSON.stringify(target)}); })();`;
  const workers = Array.from(
    { length: threads },
    () =>
      new Worker(entry, {
        eval: true,
        workerData: { durationMs },
        execArgv: ['--conditions=source'],
      }),
  );
  try {
    await Promise.all(workers.map((worker) => once(worker, 'message')));
    const results = workers.map((worker) => once(worker, 'message'));
    for (const worker of workers) worker.postMessage('go');
    const figures = await Promise.all(results);
    return figures.reduce((sum, [gflops]) => sum + (gflops as number), 0);
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}
