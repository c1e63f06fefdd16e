// The data-parallel engine in real Chromium (Debian's, through playwright-core): in a
// cross-origin isolated page, fit on 2 and 3 replica Web Workers — started from the page, and
// from a dedicated worker as the playground trains — gives the weights and history of fit on the
// page's own thread, bit for bit; a failing replica fails fit with its error and the next fit
// works; without isolation, fit with workers > 1 says what the page needs.

import { fileURLToPath } from 'node:url';
import { launchChromium, startTestServer, type TestServer } from '@convoy/vitest-preset/browser';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineReport } from './browser/engine-page.js';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startTestServer(fileURLToPath(new URL('./browser/', import.meta.url)), {
    name: 'layers',
    notIsolated: ['/plain.html'],
  });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function runPage(path: string): Promise<{ report: EngineReport; errors: string[] }> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  try {
    await page.goto(new URL(path, server.url).href);
    await page.waitForFunction(() => 'runChecks' in globalThis, undefined, { timeout: 30_000 });
    const report = await page.evaluate(() =>
      (globalThis as unknown as { runChecks(): Promise<EngineReport> }).runChecks(),
    );
    return { report, errors };
  } finally {
    await page.close();
  }
}

describe('the data-parallel engine in Chromium', () => {
  it('trains bit-identically on 1, 2 and 3 replica workers, from the page and from a worker', async () => {
    const { report, errors } = await runPage('isolated.html');
    expect(report.crossOriginIsolated).toBe(true);
    const [one, ...others] = report.runs;
    expect(one!.workers).toBe(1);
    expect(one!.result.backend).toMatch(/^wasm-/);
    expect(others.map((run) => `${run.where} ×${run.workers}`)).toEqual([
      'page ×2',
      'page ×3',
      'worker ×2',
    ]);
    for (const run of others) {
      expect(run.result.weights, `${run.where} ×${run.workers}`).toEqual(one!.result.weights);
      expect(run.result.history, `${run.where} ×${run.workers}`).toEqual(one!.result.history);
    }
    expect(one!.result.history.val_accuracy).toHaveLength(2);
    expect(report.faultMessage).toBe(
      'fit: replica 1 failed: injected fault in replica 1 at iteration 1 (at epoch 1, batch 2)',
    );
    expect(report.worksAfterFault).toBe(true);
    expect(errors).toEqual([]);
  });

  it('without cross-origin isolation, refuses workers > 1 saying why, and trains on one', async () => {
    const { report } = await runPage('plain.html');
    expect(report.crossOriginIsolated).toBe(false);
    expect(report.runs[0]!.result.history.loss).toHaveLength(2);
    expect(report.notIsolatedMessage).toMatch(
      /^fit: 2 workers need SharedArrayBuffer, which this runtime lacks \(a browser page needs cross-origin isolation/,
    );
  });
});
