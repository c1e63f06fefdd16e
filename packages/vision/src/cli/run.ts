// Runs the command line in this process (bin/convoy-vision.js starts this file).

import { processIo } from './io.js';
import { runCli } from './main.js';

process.exitCode = await runCli(process.argv.slice(2), processIo);
