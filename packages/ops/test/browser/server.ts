// A Vite dev server for the browser pool test, bound to 127.0.0.1 on a free port. It serves
// test/browser/*.html with the package's source (the `source` and `browser` conditions), and adds
// the cross-origin isolation headers to every response except those for plain.html, the page
// that must run without shared memory.

import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer, defaultClientConditions, type ViteDevServer } from 'vite';

const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export interface PageServer {
  /** Base URL, ending in '/'. */
  url: string;
  close(): Promise<void>;
}

export async function startPageServer(): Promise<PageServer> {
  const root = fileURLToPath(new URL('.', import.meta.url));
  const workspaceRoot = fileURLToPath(new URL('../../../../', import.meta.url));
  const server: ViteDevServer = await createServer({
    configFile: false,
    root,
    logLevel: 'error',
    cacheDir: join(tmpdir(), 'convoy-ops-browser-test-vite'),
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
            if (!request.url?.startsWith('/plain.html')) {
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
