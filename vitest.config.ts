import { defineConfig } from 'vitest/config';

// One run over every workspace package; each package keeps its own vitest.config.ts so that
// `vitest` inside a package works too. tooling/consumer-check installs the packed packages into a
// fresh npm project and runs them there.
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*', 'tooling/consumer-check'],
  },
});
