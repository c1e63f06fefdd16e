// Property and fuzz tests of PNG reading (fixed seed, bounded runs): every image Convoy encodes
// decodes back exactly; every mutated PNG, and random bytes, either decode to a consistent image
// or fail with readPng's own error naming the file; a header declaring 50000x50000 is refused
// with what it declared and the limit, before the decoder allocates for it.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { checkConvoyError, concat, fc, fuzzParameters, mutations, reportCount } from '@convoy/fuzz';
import { afterAll, describe, expect, it } from 'vitest';
import { decodePng, encodePng, type Image, MAX_PNG_PIXELS, readPng } from '../../src/index.js';

const RUNS = { valid: 300, mutated: 1500, random: 300 };

const image: fc.Arbitrary<Image> = fc
  .record({
    width: fc.integer({ min: 1, max: 9 }),
    height: fc.integer({ min: 1, max: 9 }),
    channels: fc.constantFrom(1, 2, 3, 4),
    depth: fc.constantFrom(8, 16),
  })
  .chain(({ width, height, channels, depth }) =>
    fc
      .array(fc.integer({ min: 0, max: depth === 8 ? 255 : 65535 }), {
        minLength: width * height * channels,
        maxLength: width * height * channels,
      })
      .map(
        (values): Image => ({
          width,
          height,
          channels: channels as Image['channels'],
          data: depth === 8 ? Uint8Array.from(values) : Uint16Array.from(values),
        }),
      ),
  );

function consistent(decoded: Image): void {
  expect(decoded.data.length).toBe(decoded.width * decoded.height * decoded.channels);
}

const dir = mkdtempSync(join(tmpdir(), 'convoy-fuzz-png-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

/** CRC-32 as PNG chunks use it. */
function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length, false);
  out.set(new TextEncoder().encode(type), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)), false);
  return out;
}

describe('PNG decoding, fuzzed', () => {
  it('decodes every image it encodes back exactly', () => {
    fc.assert(
      fc.property(image, (original) => {
        const decoded = decodePng(encodePng(original));
        expect(decoded).toMatchObject({
          width: original.width,
          height: original.height,
          channels: original.channels,
        });
        expect(Array.from(decoded.data)).toEqual(Array.from(original.data));
      }),
      fuzzParameters(RUNS.valid),
    );
    reportCount('PNG, valid images', RUNS.valid);
  });

  it('reads a mutated file consistently or refuses it with its own error naming the file', async () => {
    const path = join(dir, 'mutated.png');
    await fc.assert(
      fc.asyncProperty(image, mutations(), async (original, mutate) => {
        writeFileSync(path, mutate(encodePng(original)));
        try {
          consistent(await readPng(path));
        } catch (error) {
          checkConvoyError(error, { prefixes: [`readPng: ${path}: `], file: path });
        }
      }),
      fuzzParameters(RUNS.mutated),
    );
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 80 }), async (bytes) => {
        // Random bytes after a real signature, so they get past the first check.
        writeFileSync(
          path,
          concat(
            encodePng(
              decodePng(encodePng({ width: 1, height: 1, channels: 1, data: new Uint8Array(1) })),
            ).subarray(0, 8),
            bytes,
          ),
        );
        try {
          consistent(await readPng(path));
        } catch (error) {
          checkConvoyError(error, { prefixes: [`readPng: ${path}: `], file: path });
        }
      }),
      fuzzParameters(RUNS.random),
    );
    reportCount('PNG, mutated files', RUNS.mutated);
    reportCount('PNG, random bytes after the signature', RUNS.random);
  });

  it('refuses a PNG declaring 50000x50000 with what it declared and the limit, before allocating', async () => {
    const ihdr = new Uint8Array(13);
    const view = new DataView(ihdr.buffer);
    view.setUint32(0, 50_000, false);
    view.setUint32(4, 50_000, false);
    ihdr[8] = 8; // bit depth
    ihdr[9] = 2; // RGB
    const signature = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const bytes = concat(
      signature,
      chunk('IHDR', ihdr),
      chunk('IDAT', deflateSync(new Uint8Array(10))),
      chunk('IEND', new Uint8Array(0)),
    );
    const path = join(dir, 'huge.png');
    writeFileSync(path, bytes);
    await expect(readPng(path)).rejects.toThrow(
      `readPng: ${path}: the PNG declares 50000x50000 pixels (2500000000), more than the limit of ${MAX_PNG_PIXELS} (16384x16384)`,
    );
  });
});
