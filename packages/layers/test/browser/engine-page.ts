// The browser side of test/engine-browser.test.ts: trains the same small CNN with fit on one
// replica (the page's thread) and on two and three replica Web Workers, in the page and inside a
// dedicated worker (as the playground trains), and reports the weights and histories for the
// Node test to compare, plus what a failing replica and a missing isolation look like.

import { injectReplicaFault } from '../../src/data-parallel/faults.js';
import { type TrainedMini, trainMiniModel } from './mini-training.js';

export interface EngineReport {
  crossOriginIsolated: boolean;
  runs: { where: string; workers: number; result: TrainedMini }[];
  faultMessage?: string;
  worksAfterFault?: boolean;
  notIsolatedMessage?: string;
}

async function inWorker(workers: number): Promise<TrainedMini> {
  const worker = new Worker(new URL('./training-worker.ts', import.meta.url), { type: 'module' });
  try {
    return await new Promise<TrainedMini>((resolve, reject) => {
      worker.onmessage = (event: MessageEvent<TrainedMini | { error: string }>) => {
        if ('error' in event.data) reject(new Error(event.data.error));
        else resolve(event.data);
      };
      worker.onerror = (event) => reject(new Error(event.message));
      worker.postMessage(workers);
    });
  } finally {
    worker.terminate();
  }
}

async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'no error';
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

async function runChecks(): Promise<EngineReport> {
  if (!globalThis.crossOriginIsolated) {
    return {
      crossOriginIsolated: false,
      runs: [{ where: 'page', workers: 1, result: await trainMiniModel(1) }],
      notIsolatedMessage: await failure(trainMiniModel(2)),
    };
  }
  const runs: EngineReport['runs'] = [];
  for (const workers of [1, 2, 3])
    runs.push({ where: 'page', workers, result: await trainMiniModel(workers) });
  runs.push({ where: 'worker', workers: 2, result: await inWorker(2) });
  injectReplicaFault({ replica: 1, iteration: 1, kind: 'throw' });
  const faultMessage = await failure(trainMiniModel(2));
  injectReplicaFault(undefined);
  const again = await trainMiniModel(2);
  return {
    crossOriginIsolated: true,
    runs,
    faultMessage,
    worksAfterFault: JSON.stringify(again.weights) === JSON.stringify(runs[0]!.result.weights),
  };
}

(globalThis as unknown as { runChecks: typeof runChecks }).runChecks = runChecks;
