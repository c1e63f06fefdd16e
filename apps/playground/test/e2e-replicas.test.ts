// The playground's training on @convoy/layers' data-parallel engine in Chromium: model 3 trained
// with fit on two replica Web Workers (started from the page's model worker) ends with exactly
// the weights of the same run on one thread — the page's downloaded model files are equal byte
// for byte.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  openPage,
  type Playground,
  requireFashionMnist,
  startPlayground,
} from './helpers/browser.js';
import { downloadModel, waitForTrainingEnd } from './helpers/playground-page.js';

let playground: Playground;
let scratch: string;

beforeAll(async () => {
  playground = await startPlayground();
  scratch = mkdtempSync(join(tmpdir(), 'convoy-playground-replicas-'));
}, 90_000);

afterAll(async () => {
  await playground?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
}, 30_000);

/** Trains model 3 on 1,000 images for one epoch with `workers`; the downloaded weights' bytes. */
async function trainedWeights(workers: string): Promise<Buffer> {
  const { page, errors } = await openPage(playground, 'training');
  try {
    await page.selectOption('[data-testid=training-model]', '3');
    await page.selectOption('[data-testid=training-samples]', '1000');
    await page.selectOption('[data-testid=training-epochs]', '1');
    await page.selectOption('[data-testid=training-workers]', workers);
    await page.click('[data-testid=training-start]');
    await waitForTrainingEnd(page, 60_000);
    expect(await page.textContent('[data-testid=training-status]')).toContain('Finished');
    expect(await page.textContent('[data-testid=training-batch-number]')).toBe('32 / 32');
    // fit really ran on that many threads: the page's status and batch-time table say so.
    const threads = workers === '1' ? '1 thread' : `${workers} threads`;
    expect(await page.textContent('[data-testid=batch-times]')).toContain(`batch 32, ${threads}`);
    const dir = mkdtempSync(join(scratch, `workers-${workers}-`));
    expect(await downloadModel(page, dir)).toEqual(['model.json', 'group1-shard1of1.bin']);
    expect(errors).toEqual([]);
    return readFileSync(join(dir, 'group1-shard1of1.bin'));
  } finally {
    await page.close();
  }
}

describe('playground training on replica workers', () => {
  it('trains model 3 on two replica workers to the weights of one thread, byte for byte', async () => {
    requireFashionMnist();
    const one = await trainedWeights('1');
    const two = await trainedWeights('2');
    expect(two.length).toBe(one.length);
    expect(two.equals(one)).toBe(true);
  });
});
