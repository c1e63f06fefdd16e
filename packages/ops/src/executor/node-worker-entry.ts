// How to start a worker module shipped next to its importer, in Node: the built JavaScript as it
// is, or — when the package runs from its TypeScript source (tests, `--conditions=source`) — the
// .ts file through tsx's loader, with the `source` condition so that @convoy/* imports inside
// the worker resolve to src/*.ts too. The loader goes by absolute path: a bare `tsx` does not
// resolve from inside a worker under pnpm's strict layout. Node only (a subpath of its own, so
// browser bundles never see it); the ops executor and the layers engine's replicas both start this way.

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface NodeWorkerEntry {
  /** The module's URL, for piscina's `filename`. */
  filename: string;
  /** Node flags for the worker. */
  execArgv: string[];
}

/**
 * `compiled` (…/name.js) if it exists, else its .ts twin started through tsx. `who` names the
 * caller in the error raised when tsx cannot be found.
 */
export function nodeWorkerEntry(compiled: URL, who: string): NodeWorkerEntry {
  if (existsSync(fileURLToPath(compiled))) return { filename: compiled.href, execArgv: [] };
  let tsxLoader: string;
  try {
    tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  } catch (error) {
    throw new Error(
      `${who}: running from TypeScript source, its worker needs tsx to load (install tsx, or use the built package from dist)`,
      { cause: error },
    );
  }
  return {
    filename: compiled.href.replace(/\.js$/, '.ts'),
    execArgv: ['--import', tsxLoader, '--conditions=source'],
  };
}
