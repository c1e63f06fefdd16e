// Reading the playground the way a learner reads it: the numbers in its tables, a feature map's
// numbers after clicking the map, the ten probabilities, the confusion matrix; and the actions a
// learner takes — train, download the model, open model files.

import { join } from 'node:path';
import type { Download, Page } from 'playwright-core';
import { expect } from 'vitest';

/** The numbers of a table of numbers, row by row. */
export async function tableNumbers(page: Page, selector: string): Promise<number[][]> {
  return page.$$eval(`${selector} tr`, (rows) =>
    rows.map((row) => Array.from(row.querySelectorAll('td'), (cell) => Number(cell.textContent))),
  );
}

/** Clicks map `map` of feature layer `layer` and reads the exact values its numbers view shows. */
export async function featureMapNumbers(page: Page, layer: number, map: number): Promise<number[]> {
  const canvas = page.locator(`[data-testid=feature-layer-canvas-${layer}]`);
  await canvas.scrollIntoViewIfNeeded();
  const { x, y } = await canvas.evaluate((element, index) => {
    const c = element as HTMLCanvasElement;
    const columns = Number(c.dataset.columns);
    const tileWidth = Number(c.dataset.tileWidth);
    const tileHeight = Number(c.dataset.tileHeight);
    const box = c.getBoundingClientRect();
    // The middle of tile `index`, in CSS pixels from the canvas's corner (tiles are 1 px apart).
    const cx = (index % columns) * (tileWidth + 1) + tileWidth / 2;
    const cy = Math.floor(index / columns) * (tileHeight + 1) + tileHeight / 2;
    return { x: (cx * box.width) / c.width, y: (cy * box.height) / c.height };
  }, map);
  await canvas.click({ position: { x, y } });
  const table = page.locator('[data-testid=feature-map-numbers]');
  await expect.poll(() => table.getAttribute('data-key')).toBe(`${layer}:${map}`);
  return table.evaluate((element) =>
    Array.from(element.querySelectorAll<HTMLElement>('.numbers-row')).flatMap((row) =>
      (row.dataset.values ?? '').split(' ').map(Number),
    ),
  );
}

/** The ten class probabilities shown for the image being looked at, exactly. */
export async function probabilitiesShown(page: Page): Promise<number[]> {
  return page.$$eval('[data-testid=probabilities] .probability', (rows) =>
    rows.map((row) => Number((row as HTMLElement).dataset.value)),
  );
}

export async function confusionShown(page: Page): Promise<number[][]> {
  return page.$$eval('[data-testid=confusion-matrix] tr', (rows) =>
    rows
      .slice(1)
      .map((row) =>
        Array.from(row.querySelectorAll('td'), (cell) =>
          Number((cell as HTMLElement).dataset.count),
        ),
      ),
  );
}

/** Clicks Download model and saves both files the page offers into `dir`. */
export async function downloadModel(page: Page, dir: string): Promise<string[]> {
  const downloads: Download[] = [];
  page.on('download', (download) => downloads.push(download));
  await page.click('[data-testid=model-download]');
  await expect.poll(() => downloads.length, { timeout: 20_000 }).toBe(2);
  const names: string[] = [];
  for (const download of downloads) {
    const name = download.suggestedFilename();
    await download.saveAs(join(dir, name));
    names.push(name);
  }
  return names;
}

/** Waits for the training status to say the run is over. */
export async function waitForTrainingEnd(page: Page, timeout: number): Promise<void> {
  const status = page.locator('[data-testid=training-status]');
  await expect
    .poll(
      async () =>
        (await status.getAttribute('data-done')) ?? (await status.getAttribute('data-failed')),
      {
        timeout,
      },
    )
    .toBeTruthy();
  expect(await status.getAttribute('data-failed'), (await status.textContent()) ?? '').toBeNull();
}
