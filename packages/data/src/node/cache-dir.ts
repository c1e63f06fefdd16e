// Where per-user caches live on each platform; Convoy keeps downloaded datasets under it.

import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * The Convoy cache directory: `$XDG_CACHE_HOME/convoy` or `~/.cache/convoy` on Linux and other
 * Unixes, `~/Library/Caches/convoy` on macOS, `%LOCALAPPDATA%\convoy\Cache` on Windows.
 */
export function userCacheDir(
  env: Environment = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  if (platform === 'win32') {
    return join(env.LOCALAPPDATA ?? join(home, 'AppData', 'Local'), 'convoy', 'Cache');
  }
  if (platform === 'darwin') return join(home, 'Library', 'Caches', 'convoy');
  // The XDG spec says relative values are invalid and must be ignored.
  const xdg = env.XDG_CACHE_HOME;
  return join(xdg !== undefined && isAbsolute(xdg) ? xdg : join(home, '.cache'), 'convoy');
}
