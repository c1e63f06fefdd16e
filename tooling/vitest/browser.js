// Browser tests' shared machinery: a Vite dev server that serves a test folder with the
// workspace's TypeScript source (the `source` and `browser` conditions) and the cross-origin
// isolation headers SharedArrayBuffer needs, and Debian's Chromium driven by playwright-core
// (no browser download; the flags keep it off the network this machine does not have).
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { createServer, defaultClientConditions } from 'vite';

export const CHROMIUM = '/usr/bin/chromium';

const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

const workspaceRoot = fileURLToPath(new URL('../../', import.meta.url));

/** @param {string} root @param {{ name: string; notIsolated?: string[] }} options */
export async function startTestServer(root, options) {
  const notIsolated = options.notIsolated ?? [];
  const server = await createServer({
    configFile: false,
    root,
    logLevel: 'error',
    cacheDir: join(tmpdir(), `convoy-${options.name}-browser-test-vite`),
    resolve: { conditions: ['source', ...defaultClientConditions] },
    // Nothing to pre-bundle: comlink and the workspace sources are plain ESM. Skipping discovery
    // also avoids a mid-test page reload when Vite finds a dependency late.
    optimizeDeps: { noDiscovery: true, include: [] },
    server: {
      host: '127.0.0.1',
      port: 0,
      hmr: false,
      watch: null,
      fs: { allow: [workspaceRoot] },
    },
    plugins: [
      {
        name: 'convoy-isolation-headers',
        configureServer(dev) {
          dev.middlewares.use((request, response, next) => {
            if (!notIsolated.some((path) => request.url?.startsWith(path))) {
              for (const [name, value] of Object.entries(ISOLATION_HEADERS)) {
                response.setHeader(name, value);
              }
            }
            next();
          });
        },
      },
    ],
  });
  await server.listen();
  const url = server.resolvedUrls?.local[0];
  if (!url) {
    await server.close();
    throw new Error('browser test: the Vite dev server did not report a local URL');
  }
  return { url, close: () => server.close() };
}

export async function launchChromium() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `browser test: ${CHROMIUM} not found; install Debian's chromium (apt-get install -y chromium)`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}
