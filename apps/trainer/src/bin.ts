// The process entry of convoy-train: wires stdout/stderr and Ctrl-C (SIGINT) / SIGTERM to
// runTrainer and exits with its code. bin/convoy-train.js starts this file.

import { runTrainer } from './main.js';

const interrupt = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupt.signal.aborted) {
      process.stderr.write('\nconvoy-train: still saving the checkpoint, one moment…\n');
      return;
    }
    process.stderr.write(
      `\nconvoy-train: ${signal} received; stopping after this step to save a checkpoint…\n`,
    );
    interrupt.abort(signal);
  });
}

const exitCode = await runTrainer(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  interrupt: interrupt.signal,
});
// Exit explicitly: outputs are written and the executor is closed, and stdout/stderr are synchronous
// for files, pipes and terminals on POSIX, so nothing is lost.
process.exit(exitCode);
