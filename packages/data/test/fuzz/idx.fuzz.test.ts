// Property and fuzz tests of the IDX reader, raw and gzipped (fixed seed, bounded runs): every
// valid file of every dtype and rank reads back as written; every mutated file, and random bytes,
// either read consistently or fail with parseIdx's or loadFashionMnist's own error naming the
// file; a header declaring more elements than the limit says so before anything is sized from
// it, and so does a gzip stream that expands past its limit.

import { writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { checkConvoyError, fc, fuzzParameters, mutations, reportCount } from '@convoy/fuzz';
import { afterAll, describe, expect, it } from 'vitest';
import {
  encodeIdx,
  FASHION_MNIST_FILES,
  type IdxArray,
  type IdxDType,
  loadFashionMnist,
  MAX_IDX_ELEMENTS,
  parseIdx,
} from '../../src/index.js';
import { gunzipNode } from '../../src/node/gunzip.js';
import { tempDir, tinyFashionMnist } from '../fixtures.js';

const RUNS = { valid: 300, mutated: 2000, random: 500, gzip: 300 };
const DTYPES: IdxDType[] = ['uint8', 'int8', 'int16', 'int32', 'float32', 'float64'];

const idxArray: fc.Arbitrary<IdxArray> = fc
  .tuple(fc.constantFrom(...DTYPES), fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 4 }))
  .chain(([dtype, shape]) => {
    const count = shape.reduce((a, b) => a * b, 1);
    const values =
      dtype === 'float32' || dtype === 'float64'
        ? fc.array(fc.float({ noNaN: true, noDefaultInfinity: true }), {
            minLength: count,
            maxLength: count,
          })
        : fc.array(
            fc.integer(
              dtype === 'uint8'
                ? { min: 0, max: 255 }
                : dtype === 'int8'
                  ? { min: -128, max: 127 }
                  : dtype === 'int16'
                    ? { min: -32768, max: 32767 }
                    : { min: -(2 ** 31), max: 2 ** 31 - 1 },
            ),
            { minLength: count, maxLength: count },
          );
    return values.map((list): IdxArray => {
      const Kind = {
        uint8: Uint8Array,
        int8: Int8Array,
        int16: Int16Array,
        int32: Int32Array,
        float32: Float32Array,
        float64: Float64Array,
      }[dtype];
      return { dtype, shape, data: Kind.from(list) };
    });
  });

/** What a successful read must satisfy whatever the bytes were. */
function consistent(array: IdxArray): void {
  expect(array.data.length).toBe(array.shape.reduce((a, b) => a * b, 1));
}

function expectIdxError(error: unknown, file: string): void {
  checkConvoyError(error, { prefixes: [`parseIdx: ${file}: `], file });
}

describe('parseIdx (raw IDX), fuzzed', () => {
  it('reads every valid file of every dtype and rank back as written', () => {
    fc.assert(
      fc.property(idxArray, (array) => {
        const read = parseIdx(encodeIdx(array), 'valid.idx');
        expect(read.dtype).toBe(array.dtype);
        expect(read.shape).toEqual(array.shape);
        expect(Array.from(read.data)).toEqual(Array.from(array.data));
      }),
      fuzzParameters(RUNS.valid),
    );
    reportCount('IDX (raw), valid files', RUNS.valid);
  });

  it('reads a mutated file consistently or refuses it with its own error naming the file', () => {
    fc.assert(
      fc.property(idxArray, mutations(), (array, mutate) => {
        const bytes = mutate(encodeIdx(array));
        try {
          consistent(parseIdx(bytes, 'mutated.idx'));
        } catch (error) {
          expectIdxError(error, 'mutated.idx');
        }
      }),
      fuzzParameters(RUNS.mutated),
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        try {
          consistent(parseIdx(bytes, 'random.idx'));
        } catch (error) {
          expectIdxError(error, 'random.idx');
        }
      }),
      fuzzParameters(RUNS.random),
    );
    reportCount('IDX (raw), mutated files', RUNS.mutated);
    reportCount('IDX (raw), random bytes', RUNS.random);
  });

  it('says what a header declares and the limit, before sizing anything from it', () => {
    const header = new Uint8Array(4 + 12);
    const view = new DataView(header.buffer);
    header[2] = 0x0d; // float32
    header[3] = 3;
    for (const axis of [0, 1, 2]) view.setUint32(4 + 4 * axis, 65_536, false);
    expect(() => parseIdx(header, 'huge.idx')).toThrow(
      `parseIdx: huge.idx: dims [65536, 65536, 65536] declare 281474976710656 elements of float32, more than the limit of ${MAX_IDX_ELEMENTS}`,
    );
  });
});

describe('Fashion-MNIST from gzipped IDX files, fuzzed', () => {
  const dir = tempDir('convoy-fuzz-idx-');
  const valid = tinyFashionMnist(6, 3);
  const files = FASHION_MNIST_FILES.map((file) => file.fileName);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const load = () =>
    loadFashionMnist({
      dir,
      download: false,
      systemDirs: [],
      env: {},
      cacheDir: join(dir, 'none'),
    });

  it('loads a mutated file (gzip bytes, or the IDX inside) consistently or names it and the fault', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...files),
        fc.boolean(),
        mutations(),
        async (broken, insideGzip, mutate) => {
          for (const name of files) writeFileSync(join(dir, name), valid[name]!);
          const original = valid[broken]!;
          const bytes = insideGzip
            ? gzipSync(mutate(new Uint8Array((await gunzipNode(original, broken)).slice())))
            : mutate(original);
          writeFileSync(join(dir, broken), bytes);
          try {
            const data = await load();
            expect(data.train.images.shape[0]).toBe(data.train.labels.shape[0]);
            expect(data.test.images.shape[0]).toBe(data.test.labels.shape[0]);
          } catch (error) {
            checkConvoyError(error, {
              prefixes: ['loadFashionMnist: ', 'parseIdx: ', 'Fashion-MNIST ('],
              file: broken,
            });
          }
        },
      ),
      fuzzParameters(RUNS.gzip),
    );
    reportCount('IDX (gzip), mutated files', RUNS.gzip);
  });

  it('stops a gzip stream that expands past the limit, saying so', async () => {
    const bomb = gzipSync(new Uint8Array(1 << 20));
    await expect(gunzipNode(bomb, 'bomb.gz', 1 << 16)).rejects.toThrow(
      'bomb.gz decompresses to more than 65536 bytes, the limit for one file',
    );
  });
});
