// parseIdx: the header, every element type in big-endian order, and clear errors for bad files.

import { describe, expect, it } from 'vitest';
import { encodeIdx, parseIdx } from '../src/index.js';

/** Hand-written bytes: magic 0 0, type, rank, big-endian dims, then data. */
const bytes = (...values: number[]) => Uint8Array.from(values);

describe('parseIdx', () => {
  it('reads a uint8 [2, 2, 3] file as a view without copying', () => {
    const file = bytes(
      0,
      0,
      0x08,
      3,
      0,
      0,
      0,
      2,
      0,
      0,
      0,
      2,
      0,
      0,
      0,
      3,
      ...Array.from({ length: 12 }, (_, i) => i * 20),
    );
    const parsed = parseIdx(file);
    expect(parsed.dtype).toBe('uint8');
    expect(parsed.shape).toEqual([2, 2, 3]);
    expect(Array.from(parsed.data)).toEqual([0, 20, 40, 60, 80, 100, 120, 140, 160, 180, 200, 220]);
    expect(parsed.data.buffer).toBe(file.buffer);
  });

  it('decodes big-endian int32, int16, int8, float32 and float64', () => {
    expect(
      Array.from(
        parseIdx(bytes(0, 0, 0x0c, 1, 0, 0, 0, 2, 0, 0, 1, 2, 0xff, 0xff, 0xff, 0xfe)).data,
      ),
    ).toEqual([258, -2]);
    expect(
      Array.from(parseIdx(bytes(0, 0, 0x0b, 1, 0, 0, 0, 2, 0x01, 0x00, 0x80, 0x00)).data),
    ).toEqual([256, -32768]);
    expect(Array.from(parseIdx(bytes(0, 0, 0x09, 1, 0, 0, 0, 2, 0x7f, 0x80)).data)).toEqual([
      127, -128,
    ]);
    // 1.5 is 0x3fc00000 in float32 and 0x3ff8000000000000 in float64.
    expect(Array.from(parseIdx(bytes(0, 0, 0x0d, 1, 0, 0, 0, 1, 0x3f, 0xc0, 0, 0)).data)).toEqual([
      1.5,
    ]);
    expect(
      Array.from(parseIdx(bytes(0, 0, 0x0e, 1, 0, 0, 0, 1, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0)).data),
    ).toEqual([1.5]);
  });

  it('reads what encodeIdx writes', () => {
    const data = Float32Array.from([0.25, -3, 1e10, 7]);
    const parsed = parseIdx(encodeIdx({ dtype: 'float32', shape: [2, 2], data }));
    expect(parsed.shape).toEqual([2, 2]);
    expect(Array.from(parsed.data)).toEqual([0.25, -3, 1e10, 7]);
  });

  it('accepts a rank-0 file and an empty one', () => {
    expect(parseIdx(bytes(0, 0, 0x08, 0, 42)).shape).toEqual([]);
    expect(parseIdx(bytes(0, 0, 0x08, 1, 0, 0, 0, 0)).data.length).toBe(0);
  });

  it('rejects a wrong magic, and says when the bytes are still gzipped', () => {
    expect(() => parseIdx(bytes(1, 0, 8, 1, 0, 0, 0, 0), 'x.idx')).toThrow(
      'parseIdx: x.idx: wrong magic: expected the first two bytes to be 0x00 0x00, got 0x01 0x00',
    );
    expect(() => parseIdx(bytes(0x1f, 0x8b, 8, 0, 0, 0))).toThrow(
      /this is gzip data: decompress it first/,
    );
  });

  it('rejects an unknown type code', () => {
    expect(() => parseIdx(bytes(0, 0, 0x0a, 1, 0, 0, 0, 0))).toThrow(
      'parseIdx: IDX data: unknown type code 0x0a; expected one of 0x08, 0x09, 0x0b, 0x0c, 0x0d, 0x0e',
    );
  });

  it('rejects a truncated header', () => {
    expect(() => parseIdx(bytes(0, 0, 8))).toThrow(
      'truncated header: need at least 4 bytes, got 3',
    );
    expect(() => parseIdx(bytes(0, 0, 8, 3, 0, 0, 0, 2, 0, 0))).toThrow(
      'truncated header: 3 dimensions need 16 header bytes, got 10',
    );
  });

  it('rejects data whose length does not match the dims', () => {
    const header = [0, 0, 0x08, 3, 0, 0, 0, 2, 0, 0, 0, 28, 0, 0, 0, 28];
    const short = new Uint8Array(16 + 2 * 784 - 1);
    short.set(header);
    expect(() => parseIdx(short, 'train-images')).toThrow(
      'parseIdx: train-images: truncated data: dims [2, 28, 28] of uint8 need 1568 data bytes, got 1567',
    );
    expect(() => parseIdx(bytes(0, 0, 0x0c, 1, 0, 0, 0, 1, 0, 0, 0, 1, 9))).toThrow(
      'extra data: dims [1] of int32 need 4 data bytes, got 5',
    );
  });

  it('rejects something that is not bytes', () => {
    expect(() => parseIdx([0, 0, 8, 0] as unknown as Uint8Array)).toThrow(
      'parseIdx: IDX data: expected a Uint8Array, got [object Array]',
    );
  });
});
