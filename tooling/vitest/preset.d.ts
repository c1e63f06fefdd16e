import type { UserWorkspaceConfig } from 'vitest/config';

/** A vitest project for one workspace package, with the repository's shared settings. */
export function convoyProject(name: string, overrides?: UserWorkspaceConfig): UserWorkspaceConfig;
