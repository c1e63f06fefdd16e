import { encode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { decodePng, encodePng, type Image, readPng, writePng } from '../src/index.js';

function pattern(length: number, modulo: number): number[] {
  return Array.from({ length }, (_, i) => (i * 37 + 11) % modulo);
}

describe('encodePng / decodePng round trip', () => {
  const cases: Array<[string, 1 | 2 | 3 | 4]> = [
    ['gray', 1],
    ['gray+alpha', 2],
    ['RGB', 3],
    ['RGBA', 4],
  ];
  for (const [name, channels] of cases) {
    it(`keeps every value of a 7x5 ${name} image at 8 bits`, () => {
      const image: Image = {
        width: 7,
        height: 5,
        channels,
        data: Uint8Array.from(pattern(7 * 5 * channels, 256)),
      };
      const back = decodePng(encodePng(image));
      expect(back.width).toBe(7);
      expect(back.height).toBe(5);
      expect(back.channels).toBe(channels);
      expect(back.data).toBeInstanceOf(Uint8Array);
      expect([...back.data]).toEqual([...image.data]);
    });
    it(`keeps every value of a 6x3 ${name} image at 16 bits`, () => {
      const image: Image = {
        width: 6,
        height: 3,
        channels,
        data: Uint16Array.from(pattern(6 * 3 * channels, 65536).map((v) => (v * 1031) % 65536)),
      };
      const back = decodePng(encodePng(image));
      expect(back.data).toBeInstanceOf(Uint16Array);
      expect(back.channels).toBe(channels);
      expect([...back.data]).toEqual([...image.data]);
    });
  }

  it('expands a palette image to RGB, and to RGBA when the palette has alpha', () => {
    const palette = [
      [255, 0, 0],
      [0, 128, 255],
      [10, 20, 30],
    ];
    const indices = Uint8Array.from([0, 1, 2, 1, 0, 2]);
    const rgb = decodePng(
      encode({ width: 3, height: 2, channels: 1, depth: 8, data: indices, palette }),
    );
    expect(rgb.channels).toBe(3);
    expect([...rgb.data]).toEqual([...indices].flatMap((i) => palette[i]!));

    const withAlpha = palette.map((color, i) => [...color, i * 100]);
    const rgba = decodePng(
      encode({ width: 3, height: 2, channels: 1, depth: 8, data: indices, palette: withAlpha }),
    );
    expect(rgba.channels).toBe(4);
    expect([...rgba.data]).toEqual([...indices].flatMap((i) => withAlpha[i]!));
  });

  it('expands a 2-bit palette image (four pixels packed per byte)', () => {
    const palette = [
      [0, 0, 0],
      [85, 85, 85],
      [170, 170, 170],
      [255, 255, 255],
    ];
    // 5 pixels per row: 2 bytes per row, the last 3 slots of each row's second byte unused.
    const rows = [
      [3, 2, 1, 0, 3],
      [0, 1, 2, 3, 1],
    ];
    const pack = (row: number[]) => [
      (row[0]! << 6) | (row[1]! << 4) | (row[2]! << 2) | row[3]!,
      row[4]! << 6,
    ];
    const data = Uint8Array.from(rows.flatMap(pack));
    const image = decodePng(encode({ width: 5, height: 2, channels: 1, depth: 2, data, palette }));
    expect(image.channels).toBe(3);
    expect([...image.data]).toEqual(rows.flat().flatMap((i) => palette[i]!));
  });
});

describe('bad PNG input', () => {
  const good = encodePng({ width: 4, height: 4, channels: 3, data: new Uint8Array(48).fill(9) });

  it('names a file that is not a PNG', () => {
    expect(() => decodePng(new TextEncoder().encode('GIF89a, not a png'))).toThrow(
      /decodePng: not a PNG file \(expected the 8-byte PNG signature .*got 47 49 46 38/,
    );
    expect(() => decodePng(new Uint8Array(0))).toThrow(/not a PNG file.*an empty file/);
  });

  it('reports a truncated file', () => {
    for (const keep of [12, 30, good.length - 20]) {
      expect(() => decodePng(good.subarray(0, keep)), `kept ${keep} bytes`).toThrow(
        /decodePng: (corrupt or truncated PNG|truncated PNG)/,
      );
    }
  });

  it('reports corrupt compressed data', () => {
    const corrupt = good.slice();
    // The IDAT payload starts after the signature (8), IHDR (25) and the IDAT length and type (8).
    for (let i = 41; i < 47; i++) corrupt[i] = 0xff;
    expect(() => decodePng(corrupt)).toThrow(/decodePng: corrupt or truncated PNG/);
  });

  it('refuses a gray image below 8 bits with a clear message', () => {
    const onebit = encode({
      width: 8,
      height: 2,
      channels: 1,
      depth: 1,
      data: Uint8Array.from([0xaa, 0x55]),
    });
    expect(() => decodePng(onebit)).toThrow(
      'decodePng: unsupported bit depth 1 for a gray image: only 8 and 16 bits per channel are supported (1, 2, 4 and 8 for palette images)',
    );
  });

  it('refuses to encode float pixels without a conversion', () => {
    expect(() =>
      encodePng({ width: 1, height: 1, channels: 1, data: new Float32Array(1) }),
    ).toThrow(/encodePng: PNG stores integers; convert a float32 image first with toUint8/);
  });

  it('readPng names the file', async () => {
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = await mkdtemp(join(tmpdir(), 'convoy-vision-'));
    const path = join(dir, 'broken.png');
    await writeFile(path, good.subarray(0, 30));
    await expect(readPng(path)).rejects.toThrow(`readPng: ${path}: `);
    const out = join(dir, 'ok.png');
    const image: Image = { width: 2, height: 1, channels: 1, data: Uint8Array.from([3, 250]) };
    await writePng(out, image);
    expect([...(await readPng(out)).data]).toEqual([3, 250]);
  });
});
