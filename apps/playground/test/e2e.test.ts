// End-to-end smoke test: the real page in Debian's Chromium. The playground is built with its own
// Vite config into a temporary directory and served by `vite preview` (same cross-origin isolation
// headers and Fashion-MNIST middleware as `vite dev`; a built bundle loads in a fraction of the
// time on-demand dev transforms take). It checks what a learner would see: isolation on, the edge
// kernel's output, the explainer's final 2×2 output, and (when the dataset is installed) a short
// live training run.

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { drawCube, filter2dSync, getKernel, toGray } from '@convoy/vision';
import { type Browser, chromium, type Page } from 'playwright-core';
import { build, type PreviewServer, preview } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEBIAN_FASHION_MNIST_DIR, FASHION_MNIST_FILES } from '../server/fashion-mnist-plugin.js';

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
const root = fileURLToPath(new URL('..', import.meta.url));
// Where vite.config.ts tells the data middleware to look.
const dataDir = process.env.CONVOY_FASHION_MNIST_DIR ?? DEBIAN_FASHION_MNIST_DIR;
// Live training needs the real data set; CI installs it (apt-get install dataset-fashion-mnist).
function requireFashionMnist(): void {
  const missing = FASHION_MNIST_FILES.filter((name) => !existsSync(`${dataDir}/${name}`));
  if (missing.length > 0) {
    throw new Error(
      `live training needs Fashion-MNIST in ${dataDir} (missing ${missing.join(', ')}): apt-get install dataset-fashion-mnist`,
    );
  }
}

let server: PreviewServer;
let outDir: string;
let browser: Browser;
let baseUrl: string;

async function openPage(hash: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${baseUrl}#${hash}`);
  return { page, errors };
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `playground e2e: no browser at ${CHROMIUM}. Install Debian's Chromium with ` +
        '`apt-get update && apt-get install -y chromium` (the test never downloads a browser).',
    );
  }
  outDir = mkdtempSync(join(tmpdir(), 'convoy-playground-'));
  const configFile = `${root}vite.config.ts`;
  // 'error': the build's notes about Node modules it leaves out of the bundle are expected.
  await build({ root, configFile, logLevel: 'error', build: { outDir, emptyOutDir: true } });
  server = await preview({
    root,
    configFile,
    logLevel: 'error',
    build: { outDir },
    preview: { host: '127.0.0.1', port: 0, open: false },
  });
  baseUrl = server.resolvedUrls!.local[0]!;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}, 60_000); // building on two busy cores can pass vitest's default 10 s hook timeout

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
}, 30_000);

describe('playground in Chromium', () => {
  it('is cross-origin isolated and says so', async () => {
    const { page, errors } = await openPage('kernels');
    expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(true);
    await expect
      .poll(() => page.textContent('[data-testid=isolation-status]'))
      .toBe('crossOriginIsolated: true');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('kernel lab: the edge kernel gives the same pixels as @convoy/vision in Node', async () => {
    const { page, errors } = await openPage('kernels');
    const status = page.locator('[data-testid=lab-status]');
    await page.selectOption('[data-testid=kernel-select]', 'identity');
    await expect
      .poll(() => status.getAttribute('data-rendered'), { timeout: 20_000 })
      .toBe('identity');
    await page.selectOption('[data-testid=kernel-select]', 'edge');
    await expect.poll(() => status.getAttribute('data-rendered'), { timeout: 20_000 }).toBe('edge');

    // The red channel of each canvas (the picture is gray), as base64: a quarter of a million
    // numbers cross from the page much faster as one string than as a JSON array.
    const readCanvas = async (testId: string) => {
      const { width, height, base64 } = await page.evaluate((id) => {
        const canvas = document.querySelector<HTMLCanvasElement>(`[data-testid=${id}]`)!;
        const rgba = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        let binary = '';
        for (let i = 0; i < rgba.length; i += 4) binary += String.fromCharCode(rgba[i]!);
        return { width: canvas.width, height: canvas.height, base64: btoa(binary) };
      }, testId);
      return { width, height, gray: new Uint8Array(Buffer.from(base64, 'base64')) };
    };
    const convolution = await readCanvas('lab-convolution');
    const pooled = await readCanvas('lab-pooled');

    expect([convolution.width, convolution.height]).toEqual([500, 500]);
    expect([pooled.width, pooled.height]).toEqual([250, 250]);
    const nonZero = convolution.gray.filter((value) => value > 0).length;
    expect(nonZero).toBeGreaterThan(1000);
    expect(nonZero).toBeLessThan(500 * 500 * 0.5); // edges, not a filled picture
    expect(pooled.gray.some((value) => value > 0)).toBe(true);
    const expected = filter2dSync(toGray(drawCube({ size: 500 })), getKernel('edge'), {
      padding: 'zero',
      clip: true,
    }).data;
    const mismatches = convolution.gray.filter((value, i) => value !== expected[i]).length;
    expect(mismatches).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('explainer: stepping to the end gives [[31, 27], [45, 23]] (513_1)', async () => {
    const { page, errors } = await openPage('explainer');
    const next = page.locator('[data-testid=explainer-next]');
    let clicks = 0;
    while (await next.isEnabled()) {
      await next.click();
      clicks++;
    }
    expect(clicks).toBe(3);
    expect(await page.textContent('[data-testid=explainer-step]')).toBe(
      'Step 4 of 4: window(1, 1)',
    );
    const output = await page.$$eval('[data-testid=explainer-output] tr', (rows) =>
      rows.map((row) => Array.from(row.querySelectorAll('td'), (cell) => Number(cell.textContent))),
    );
    expect(output).toEqual([
      [31, 27],
      [45, 23],
    ]);
    expect(await page.textContent('[data-testid=explainer-verdict]')).toContain(
      'the same as the steps',
    );
    expect(errors).toEqual([]);
    await page.close();
  });

  it('live training: model 3 trains on 1,000 images in a worker', async () => {
    requireFashionMnist();
    const { page, errors } = await openPage('training');
    await page.selectOption('[data-testid=training-samples]', '1000');
    await page.selectOption('[data-testid=training-epochs]', '1');
    await page.click('[data-testid=training-start]');
    const status = page.locator('[data-testid=training-status]');
    await expect.poll(() => status.getAttribute('data-done'), { timeout: 30_000 }).toBe('true');
    expect(await status.textContent()).toContain('Finished');
    expect(await page.textContent('[data-testid=training-batch-number]')).toBe('32 / 32');
    const testAccuracy = Number.parseFloat(
      (await page.textContent('[data-testid=training-test-accuracy]')) ?? '',
    );
    expect(testAccuracy).toBeGreaterThan(20); // percent; chance is 10
    expect(await page.locator('[data-testid=training-predictions] figure').count()).toBe(10);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('live training: Stop ends a long run after the current batch', async () => {
    requireFashionMnist();
    const { page, errors } = await openPage('training');
    await page.selectOption('[data-testid=training-samples]', '60000');
    await page.selectOption('[data-testid=training-epochs]', '1');
    await page.click('[data-testid=training-start]');
    const batch = page.locator('[data-testid=training-batch-number]');
    await expect
      .poll(async () => Number.parseInt((await batch.textContent()) ?? '', 10) || 0, {
        timeout: 20_000,
      })
      .toBeGreaterThanOrEqual(3);
    await page.click('[data-testid=training-stop]');
    const status = page.locator('[data-testid=training-status]');
    await expect.poll(() => status.getAttribute('data-done'), { timeout: 10_000 }).toBe('true');
    expect(await status.textContent()).toContain('Stopped');
    const stoppedAt = Number.parseInt((await batch.textContent()) ?? '', 10);
    expect(stoppedAt).toBeLessThan(1875);
    expect(await page.isEnabled('[data-testid=training-start]')).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('live training without the dataset: the page says how to install it', async () => {
    const page = await browser.newPage();
    const context = page.context();
    // Answer as the dev server does when the Debian package is missing.
    await context.route('**/data/fashion-mnist/**', (route) =>
      route.fulfill({
        status: 404,
        contentType: 'text/plain; charset=utf-8',
        body: 'Fashion-MNIST file train-images-idx3-ubyte.gz is not in /nowhere.',
      }),
    );
    await page.goto(`${baseUrl}#training`);
    await page.click('[data-testid=training-start]');
    const notice = page.locator('[data-testid=training-data-missing]');
    await notice.waitFor({ state: 'visible', timeout: 20_000 });
    const text = await notice.textContent();
    expect(text).toContain('is not in /nowhere');
    expect(text).toContain('apt-get install dataset-fashion-mnist');
    await page.close();
  });
});
