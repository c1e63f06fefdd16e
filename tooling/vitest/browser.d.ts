import type { Browser } from 'playwright-core';

export const CHROMIUM: string;

export interface TestServer {
  /** Base URL, ending in '/'. */
  url: string;
  close(): Promise<void>;
}

/**
 * A Vite dev server on 127.0.0.1 (a free port) for the test pages in `root`, resolving the
 * workspace's TypeScript source, with cross-origin isolation headers on every response but those
 * whose path starts with one of `notIsolated`.
 */
export function startTestServer(
  root: string,
  options: { name: string; notIsolated?: string[] },
): Promise<TestServer>;

/** Debian's Chromium, headless, through playwright-core; throws with the fix when it is missing. */
export function launchChromium(): Promise<Browser>;
