// The Web Worker behind the browser executor: exposes one `run(task)` through comlink and runs it on
// this worker's backend, reading and writing the shared arrays the task carries. No Node imports.

import { expose } from 'comlink';
import { backendNamed } from './backends.js';
import { createTaskRunner, type TaskResult, type WorkerTask } from './tasks.js';

const runTask = createTaskRunner(
  backendNamed,
  (message) =>
    // A Web Worker cannot kill itself in a way its page sees, so a simulated crash raises an
    // uncaught error (the page's Worker gets an 'error' event) and never replies, as a dead worker.
    new Promise<never>(() => {
      setTimeout(() => {
        throw new Error(message);
      });
    }),
);

const api = {
  run(task: WorkerTask): TaskResult {
    return runTask(task);
  },
};

export type BrowserWorkerApi = typeof api;

expose(api);
