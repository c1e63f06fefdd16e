import { describe, expect, it } from 'vitest';
import { drawCube, loadSample, toGray } from '../src/index.js';

describe('sample picture', () => {
  it('the committed assets/cube.png is exactly what drawCube() draws', async () => {
    const file = await loadSample();
    const drawn = drawCube();
    expect([file.width, file.height, file.channels]).toEqual([500, 500, 3]);
    expect(Buffer.from(file.data).equals(Buffer.from(drawn.data))).toBe(true);
  });

  it('has a cube with three differently lit faces and a background', () => {
    const gray = toGray(drawCube({ size: 100 }));
    const levels = new Set(gray.data);
    expect(levels.size).toBeGreaterThan(20);
    const at = (x: number, y: number) => gray.data[y * 100 + x]!;
    // Top face (above the centre), left face and right face (below it) differ; corners are background.
    const top = at(50, 35);
    const left = at(38, 60);
    const right = at(62, 60);
    expect(new Set([top, left, right]).size).toBe(3);
    expect(at(2, 2)).toBeGreaterThan(200);
  });
});
