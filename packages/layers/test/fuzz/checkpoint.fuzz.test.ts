// Fuzz tests of checkpoint files (fixed seed, bounded runs). Raw byte mutations must all be
// caught (the SHA-256 at the end); and since a digest only proves the bytes are the ones written,
// the header is also edited anywhere in its tree — model, optimizer, training state, sizes — and
// the file put back together with a correct digest: every such checkpoint either decodes into a
// model and a snapshot that pass every check, or fails with an error naming the file and what is
// wrong.

import { createHash } from 'node:crypto';
import {
  applyJsonEdit,
  checkConvoyError,
  fc,
  fuzzParameters,
  jsonEdits,
  mutations,
  reportCount,
} from '@convoy/fuzz';
import { Tensor } from '@convoy/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  conv2d,
  decodeCheckpoint,
  dense,
  encodeCheckpoint,
  type FitRun,
  flatten,
  input,
  type Sequential,
  sequential,
} from '../../src/index.js';

const RUNS = { bytes: 500, header: 1500 };
const FILE = 'runs/fuzz/checkpoint.ckpt';

function small(): Sequential {
  const model = sequential(
    [
      input({ shape: [4, 4, 1] }),
      conv2d({ filters: 2, kernelSize: 3, padding: 'same', activation: 'relu' }),
      flatten(),
      dense({ units: 3, activation: 'softmax' }),
    ],
    { seed: 2 },
  );
  model.compile({
    optimizer: 'adam',
    loss: 'sparse_categorical_crossentropy',
    metrics: ['accuracy'],
  });
  return model;
}

let bytes: Uint8Array;
let header: Record<string, unknown>;
let body: Uint8Array;

beforeAll(async () => {
  const model = small();
  const x = new Tensor(
    Float32Array.from({ length: 8 * 16 }, (_, i) => (i % 7) / 7),
    [8, 4, 4, 1],
    'float32',
  );
  const y = new Tensor(
    Int32Array.from({ length: 8 }, (_, i) => i % 3),
    [8],
    'int32',
  );
  let run: FitRun | undefined;
  await model.fit(x, y, {
    batchSize: 4,
    callbacks: {
      onTrainBegin: (_, fitRun) => {
        run = fitRun;
      },
      onBatchEnd: async (): Promise<'stop'> => {
        bytes = await encodeCheckpoint(model, run!.snapshot(), { note: 'the application JSON' });
        return 'stop';
      },
    },
  });
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  const headerLength = view.getUint32(12, true);
  header = JSON.parse(new TextDecoder().decode(bytes.subarray(16, 16 + headerLength)));
  body = bytes.slice(16 + headerLength, bytes.length - 32);
});

/** The file format, written out here independently of the encoder: preamble, header, body, digest. */
function assemble(headerJson: unknown, blob: Uint8Array): Uint8Array {
  const text = new TextEncoder().encode(JSON.stringify(headerJson) ?? '');
  const out = new Uint8Array(16 + text.length + blob.length + 32);
  out.set(new TextEncoder().encode('CONVOYCK'));
  const view = new DataView(out.buffer);
  view.setUint32(8, 1, true);
  view.setUint32(12, text.length, true);
  out.set(text, 16);
  out.set(blob, 16 + text.length);
  out.set(
    createHash('sha256')
      .update(out.subarray(0, out.length - 32))
      .digest(),
    out.length - 32,
  );
  return out;
}

const SUSPECTS = [0, -1, 1.5, 1e9, 2 ** 32, 'NaN', null, [], [0, 0, 0, 0], [1, 2, 3, 4], true];

/** Decodes and uses the checkpoint; any failure must be the decoder's own, naming the file. */
async function decodesOrNamesTheFile(file: Uint8Array): Promise<boolean> {
  try {
    const checkpoint = await decodeCheckpoint(file, FILE);
    const model = checkpoint.toModel();
    checkpoint.restoreInto(small());
    expect(model.optimizer).toBeDefined();
    return true;
  } catch (error) {
    checkConvoyError(error, { prefixes: [`${FILE}: `], file: FILE });
    return false;
  }
}

describe('checkpoint files, fuzzed', () => {
  it('catches every raw byte mutation', async () => {
    await fc.assert(
      fc.asyncProperty(mutations(), async (mutate) => {
        const mutated = mutate(bytes);
        const same = mutated.length === bytes.length && mutated.every((b, i) => b === bytes[i]);
        expect(await decodesOrNamesTheFile(mutated)).toBe(same);
      }),
      fuzzParameters(RUNS.bytes),
    );
    reportCount('checkpoint, byte mutations', RUNS.bytes);
  });

  it('decodes a header edited anywhere (with a correct digest) only into a model that checks out', async () => {
    expect(await decodesOrNamesTheFile(assemble(header, body))).toBe(true);
    await fc.assert(
      fc.asyncProperty(
        jsonEdits(header, SUSPECTS),
        fc.option(mutations(), { freq: 4 }),
        async (edit, mutateBody) => {
          await decodesOrNamesTheFile(
            assemble(applyJsonEdit(header, edit), mutateBody ? mutateBody(body) : body),
          );
        },
      ),
      fuzzParameters(RUNS.header),
    );
    reportCount('checkpoint, header edits with a valid digest', RUNS.header);
  });
});
