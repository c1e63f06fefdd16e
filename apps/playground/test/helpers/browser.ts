// The end-to-end tests' browser: the playground built with its own Vite config into a temporary
// directory and served by `vite preview` (the same cross-origin isolation headers and
// Fashion-MNIST middleware as `vite dev`; a built bundle loads in a fraction of the time on-demand
// dev transforms take), driven in Debian's Chromium through playwright-core. Every page records
// its console errors and uncaught exceptions, and screenshots go to test-results/e2e/.

import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { build, type PreviewServer, preview } from 'vite';
import {
  DEBIAN_FASHION_MNIST_DIR,
  FASHION_MNIST_FILES,
} from '../../server/fashion-mnist-plugin.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export const playgroundRoot = fileURLToPath(new URL('../..', import.meta.url));
/** The screenshots a reviewer looks at, one per view (kept out of git by apps/playground/.gitignore). */
export const screenshotDir = join(playgroundRoot, 'test-results', 'e2e');
/** Where vite.config.ts tells the data middleware to look. */
export const dataDir = process.env.CONVOY_FASHION_MNIST_DIR ?? DEBIAN_FASHION_MNIST_DIR;

/** Live training needs the real data set; CI installs it (apt-get install dataset-fashion-mnist). */
export function requireFashionMnist(): void {
  const missing = FASHION_MNIST_FILES.filter((name) => !existsSync(`${dataDir}/${name}`));
  if (missing.length > 0) {
    throw new Error(
      `live training needs Fashion-MNIST in ${dataDir} (missing ${missing.join(', ')}): apt-get install dataset-fashion-mnist`,
    );
  }
}

export interface Playground {
  browser: Browser;
  baseUrl: string;
  close(): Promise<void>;
}

export async function startPlayground(): Promise<Playground> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `playground e2e: no browser at ${CHROMIUM}. Install Debian's Chromium with ` +
        '`apt-get update && apt-get install -y chromium` (the test never downloads a browser).',
    );
  }
  mkdirSync(screenshotDir, { recursive: true });
  const outDir = mkdtempSync(join(tmpdir(), 'convoy-playground-'));
  const configFile = `${playgroundRoot}vite.config.ts`;
  // The bundle users get from `vite build`: vitest sets NODE_ENV=test, which would otherwise
  // build libraries' development code (ECharts's dev-only checks and warnings) into it.
  // 'error': the build's notes about Node modules it leaves out of the bundle are expected.
  await build({
    root: playgroundRoot,
    configFile,
    mode: 'production',
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    logLevel: 'error',
    build: { outDir, emptyOutDir: true },
  });
  const server: PreviewServer = await preview({
    root: playgroundRoot,
    configFile,
    logLevel: 'error',
    build: { outDir },
    preview: { host: '127.0.0.1', port: 0, open: false },
  });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  return {
    browser,
    baseUrl: server.resolvedUrls!.local[0]!,
    async close() {
      await browser.close();
      await server.close();
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}

export interface OpenedPage {
  page: Page;
  /** Console errors and uncaught exceptions, as they happened. */
  errors: string[];
}

export async function openPage(playground: Playground, hash: string): Promise<OpenedPage> {
  const page = await playground.browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  await page.goto(`${playground.baseUrl}#${hash}`);
  return { page, errors };
}

/**
 * The whole page, taken with a viewport as tall as the page rather than Playwright's fullPage
 * stitching: the training chart (ECharts) redraws after a resize, and would be caught blank.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  const viewport = page.viewportSize() ?? { width: 1280, height: 900 };
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.setViewportSize({ width: viewport.width, height });
  await page.evaluate(
    () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 300))),
  );
  await page.screenshot({ path: join(screenshotDir, `${name}.png`) });
  await page.setViewportSize(viewport);
}

/** The red channel of a canvas (the playground's canvases are gray), row by row. */
export async function canvasGray(
  page: Page,
  selector: string,
): Promise<{ width: number; height: number; gray: Uint8Array }> {
  // As base64: many numbers cross from the page much faster as one string than as a JSON array.
  const { width, height, base64 } = await page.$eval(selector, (element) => {
    const canvas = element as HTMLCanvasElement;
    const rgba = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let binary = '';
    for (let i = 0; i < rgba.length; i += 4) binary += String.fromCharCode(rgba[i]!);
    return { width: canvas.width, height: canvas.height, base64: btoa(binary) };
  });
  return { width, height, gray: new Uint8Array(Buffer.from(base64, 'base64')) };
}
