import { convoyProject } from '@convoy/vitest-preset';

// One file: packing and installing happen once, in its beforeAll, and every check reuses them.
export default convoyProject('consumer-check', {
  test: { testTimeout: 180_000, hookTimeout: 600_000 },
});
