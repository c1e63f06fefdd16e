#!/usr/bin/env node
// Empties a package's dist/ before tsc writes it. tsc only adds and overwrites files, so a module
// renamed or removed in src/ would otherwise live on in dist/ and ship in the packed package
// (importable, out of date). Run from the package's directory, as its build script does.

import { rmSync } from 'node:fs';

rmSync('dist', { recursive: true, force: true });
