// The browser worker executor in real Chromium: conv2d forward and both backward passes (and
// matMul) through comlink Web Workers, by the direct kernels and by Winograd, must equal the
// reference ops (Winograd within its error bound), and every kernel of the table must give the
// synchronous op's numbers, in a cross-origin isolated page; in a page without isolation the
// executor must warn once and compute correctly on one thread. Chromium is Debian's
// /usr/bin/chromium, driven by playwright-core (no browser download).

import { fileURLToPath } from 'node:url';
import { launchChromium, startTestServer, type TestServer } from '@convoy/vitest-preset/browser';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kernelNames } from '../../src/index.js';
import type { PageReport } from '../browser/page.js';
import { casesOf } from '../helpers/kernel-cases.js';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  // test/browser/*.html, isolated but for plain.html, the page that must run without shared memory.
  server = await startTestServer(fileURLToPath(new URL('../browser/', import.meta.url)), {
    name: 'ops',
    notIsolated: ['/plain.html'],
  });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

interface PageRun {
  report: PageReport;
  warnings: string[];
  errors: string[];
}

async function runPage(path: string): Promise<PageRun> {
  const page = await browser.newPage();
  const warnings: string[] = [];
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'warning') warnings.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  try {
    await page.goto(new URL(path, server.url).href);
    await page.waitForFunction(() => 'runChecks' in globalThis, undefined, { timeout: 30_000 });
    const report = await page.evaluate(() =>
      (globalThis as unknown as { runChecks(): Promise<PageReport> }).runChecks(),
    );
    return { report, warnings, errors };
  } finally {
    await page.close();
  }
}

function expectAllClose(report: PageReport): void {
  expect(report.cases.length).toBeGreaterThan(20);
  // Winograd's cases ran too, judged by its error bound (see page.ts).
  expect(report.cases.filter((c) => c.name.includes('by Winograd')).length).toBe(12);
  for (const c of report.cases) {
    expect(c.shapeMatches, c.name).toBe(true);
    expect(
      c.singleThreadRatio,
      `${c.name}: worst error against the single-thread op`,
    ).toBeLessThanOrEqual(1);
    expect(c.referenceRatio, `${c.name}: worst error against the reference`).toBeLessThanOrEqual(1);
  }
  const kernelCaseCount = kernelNames.reduce((count, name) => count + casesOf(name).length, 0);
  expect(report.kernelCases).toHaveLength(kernelCaseCount);
  for (const { name, problems } of report.kernelCases) expect(problems, name).toEqual([]);
}

describe('browser worker executor in Chromium', () => {
  it('with cross-origin isolation: the comlink workers equal the reference, survive faults, close', async () => {
    const { report, warnings, errors } = await runPage('isolated.html');
    expect(errors).toEqual([]);
    expect(report.crossOriginIsolated).toBe(true);
    expect(report.workers).toBe(2);
    expect(report.tasksSent).toBeGreaterThanOrEqual(report.cases.length);
    expectAllClose(report);
    expect(warnings.filter((w) => w.includes('cross-origin isolated'))).toEqual([]);
    expect(report.faults?.throwMessage).toContain('boom in a web worker');
    expect(report.faults?.crashMessage).toContain('web worker crash');
    expect(report.faults?.worksAfterFaults).toBe(true);
    expect(report.closedCallMessage).toBe('conv2d: the executor is closed');
  });

  it('without isolation: warns once and computes the same numbers on one thread', async () => {
    const { report, warnings, errors } = await runPage('plain.html');
    expect(errors).toEqual([]);
    expect(report.crossOriginIsolated).toBe(false);
    expect(report.workers).toBe(1);
    expect(report.tasksSent).toBe(0);
    expectAllClose(report);
    const isolationWarnings = warnings.filter((w) => w.includes('not cross-origin isolated'));
    expect(isolationWarnings).toHaveLength(1);
  });
});
