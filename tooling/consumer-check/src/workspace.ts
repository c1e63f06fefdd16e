// The workspace's publishable packages (every package.json under packages/ and apps/ not marked
// private), built and packed as `pnpm publish` would pack them: workspace:* ranges become the
// packages' versions, and only the files listed in `files` go in.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runOk } from './run.js';

export const WORKSPACE_ROOT = fileURLToPath(new URL('../../..', import.meta.url));

export interface PublishablePackage {
  name: string;
  version: string;
  dir: string;
  bin: Record<string, string>;
}

export function publishablePackages(): PublishablePackage[] {
  const found: PublishablePackage[] = [];
  for (const group of ['packages', 'apps']) {
    for (const entry of readdirSync(join(WORKSPACE_ROOT, group), { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const dir = join(WORKSPACE_ROOT, group, entry.name);
      let manifest: { name?: string; version?: string; private?: boolean; bin?: unknown };
      try {
        manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      } catch {
        continue; // a folder without a package.json is not a package
      }
      if (manifest.private || !manifest.name || !manifest.version) continue;
      const bin = typeof manifest.bin === 'object' && manifest.bin ? manifest.bin : {};
      found.push({
        name: manifest.name,
        version: manifest.version,
        dir,
        bin: bin as Record<string, string>,
      });
    }
  }
  return found.sort((a, b) => a.name.localeCompare(b.name));
}

/** Builds the packages (turbo: cached when nothing changed) so their dist/ is current. */
export async function buildPackages(packages: readonly PublishablePackage[]): Promise<void> {
  await runOk(
    join(WORKSPACE_ROOT, 'node_modules/.bin/turbo'),
    ['run', 'build', '--output-logs=errors-only', ...packages.map((pkg) => `--filter=${pkg.name}`)],
    { cwd: WORKSPACE_ROOT, timeoutMs: 600_000 },
  );
}

/** Packs one package into `destination`; returns the tarball's path. */
export async function packPackage(pkg: PublishablePackage, destination: string): Promise<string> {
  const { stdout } = await runOk('pnpm', ['pack', '--json', '--pack-destination', destination], {
    cwd: pkg.dir,
    timeoutMs: 120_000,
  });
  // Lifecycle scripts (ops' prepare) may print before the JSON document.
  const report = JSON.parse(stdout.slice(stdout.indexOf('{'))) as { filename: string };
  return report.filename.startsWith('/') ? report.filename : join(destination, report.filename);
}
