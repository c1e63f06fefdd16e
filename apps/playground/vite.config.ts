// Vite config for the playground: resolve workspace packages to their TypeScript source, serve
// Fashion-MNIST from this machine, and turn on cross-origin isolation so SharedArrayBuffer and
// the worker pool are available in the page and its workers.

import { defaultClientConditions, defineConfig } from 'vite';
import { fashionMnistPlugin } from './server/fashion-mnist-plugin.js';

/** COOP + COEP make the page cross-origin isolated (`crossOriginIsolated === true`). */
export const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/** The same variable @convoy/data's Node loader reads (FASHION_MNIST_DIR_ENV). */
const FASHION_MNIST_DIR_ENV = 'CONVOY_FASHION_MNIST_DIR';

export default defineConfig({
  resolve: { conditions: ['source', ...defaultClientConditions] },
  plugins: [fashionMnistPlugin({ directory: process.env[FASHION_MNIST_DIR_ENV] })],
  server: { headers: isolationHeaders },
  preview: { headers: isolationHeaders },
  // Pre-bundle the workspace packages' npm dependencies at startup: found later (the pool's
  // comlink is first imported inside a worker), they would make the dev server reload the page.
  optimizeDeps: { include: ['@convoy/ops > comlink', '@convoy/vision > fast-png'] },
  // ES module workers: the training worker starts the pool's own workers from inside it.
  worker: { format: 'es' },
  build: { target: 'es2022' },
});
