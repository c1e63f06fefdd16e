// Shared vitest settings for every workspace package.
// Tests run against TypeScript source: the 'source' export condition (listed first in each
// package's exports map) resolves @convoy/* imports to src/*.ts, so no build is needed to test.
import { defaultClientConditions, defaultServerConditions } from 'vite';
import { defineProject, mergeConfig } from 'vitest/config';

/** @param {string} name project name shown by vitest; @param {import('vitest/config').UserWorkspaceConfig} [overrides] */
export function convoyProject(name, overrides = {}) {
  return mergeConfig(
    defineProject({
      resolve: { conditions: ['source', ...defaultClientConditions] },
      ssr: { resolve: { conditions: ['source', ...defaultServerConditions] } },
      test: {
        name,
        environment: 'node',
        include: ['test/**/*.test.ts'],
        testTimeout: 60_000,
      },
    }),
    overrides,
  );
}
