import { defineConfig } from 'vitest/config';

// One run over every workspace package; each package keeps its own vitest.config.ts so that
// `vitest` inside a package works too.
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*'],
  },
});
