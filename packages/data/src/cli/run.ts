// Runs convoy-data in this process (bin/convoy-data.js starts this file).

import { runDataCli } from './main.js';

process.exitCode = await runDataCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: process.stderr,
});
