// One thread of the N-thread peak: waits for 'go' so all threads start together, then measures.

import { parentPort, workerData } from 'node:worker_threads';
import { measureKernelPeak } from '@convoy/ops';

parentPort!.postMessage('ready');
parentPort!.once('message', () => {
  parentPort!.postMessage(measureKernelPeak((workerData as { durationMs: number }).durationMs));
});
