// A dedicated worker that trains the mini model with fit, as the playground's training worker
// does: the engine then starts its replica workers from inside this worker.

import { trainMiniModel } from './mini-training.js';

self.onmessage = async (event: MessageEvent<number>) => {
  try {
    self.postMessage(await trainMiniModel(event.data));
  } catch (error) {
    self.postMessage({ error: error instanceof Error ? error.message : String(error) });
  }
};
