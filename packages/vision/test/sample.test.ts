import { describe, expect, it } from 'vitest';
import { glyph } from '../src/cube-letters.js';
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

describe('cube letters', () => {
  it('has a distinct glyph for every printable ASCII character', () => {
    const seen = new Set<string>();
    for (let code = 33; code < 127; code++) {
      const bits = [...glyph(String.fromCharCode(code))];
      expect(bits.some((row) => row !== 0)).toBe(true);
      expect(bits.every((row) => row < 32)).toBe(true);
      seen.add(bits.join(','));
    }
    expect(seen.size).toBe(94);
    expect([...glyph('한')]).toEqual([...glyph('?')]);
  });
});
