// The page's handle on the model worker: started with the training view and kept, so the model it
// trained or opened stays there to be looked at, classified with and downloaded. Messages from it
// go to one listener (the training view), which routes them to its panels. Starting a module
// worker blocks the page's thread for a while (hundreds of milliseconds on a busy machine), so it
// happens when the view is built, not when a training run starts.

import type { FromModelWorker, ToModelWorker } from './protocol.js';

export class ModelClient {
  private worker: Worker | undefined;

  constructor(private readonly listener: (message: FromModelWorker) => void) {
    this.ensureWorker();
  }

  send(message: ToModelWorker, transfer: Transferable[] = []): void {
    this.ensureWorker().postMessage(message, { transfer });
  }

  /** Ends the worker and its model (the next message starts a fresh one). */
  terminate(): void {
    this.worker?.terminate();
    this.worker = undefined;
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL('./worker.ts', import.meta.url), {
      type: 'module',
      name: 'convoy-model',
    });
    worker.addEventListener('message', (event: MessageEvent<FromModelWorker>) =>
      this.listener(event.data),
    );
    worker.addEventListener('error', (event) => {
      this.listener({ type: 'error', message: event.message || 'the model worker crashed' });
    });
    this.worker = worker;
    return worker;
  }
}
