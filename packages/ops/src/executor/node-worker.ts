// The piscina worker: runs one WorkerTask on this thread's backend, reading and writing the shared
// arrays the task carries. Loaded from dist/executor/node-worker.js when built, or from this .ts file
// through tsx when the package runs from source.

import { backendNamed } from './backends.js';
import { createTaskRunner } from './tasks.js';

const runTask = createTaskRunner(backendNamed, () => {
  // process.exit inside a worker_thread ends this thread only; piscina sees the exit, fails the
  // task that was running and starts a replacement.
  process.exit(1);
});

export default runTask;
