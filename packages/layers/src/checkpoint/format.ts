// A training checkpoint as one file of bytes: everything the next step of a run depends on —
// the model (TensorFlow.js topology and weights), the optimizer (config, iterations, slots), the
// run's TrainingSnapshot, and whatever JSON the application adds (the trainer's settings and
// epoch records). One file, so replacing it is one rename: a reader sees the old checkpoint or
// the new one, never a mix of two. A SHA-256 over everything before it ends the file, so a file
// cut short or damaged after it was written is refused instead of loaded wrongly.
//
//   offset 0   8 bytes   "CONVOYCK"
//          8   uint32    format version (little-endian)
//         12   uint32    header length H
//         16   H bytes   header, UTF-8 JSON (below)
//              W bytes   the model's weights, little-endian float32 in manifest order
//              O bytes   the optimizer's slots, little-endian float32 in OptimizerJson order
//              32 bytes  SHA-256 of everything above

import {
  type ModelJson,
  type OptimizerJson,
  optimizerArtifacts,
  restoreOptimizer,
  toArtifacts,
} from '../artifacts.js';
import { fromArtifacts } from '../load.js';
import type { Model } from '../model.js';
import type { Sequential } from '../sequential.js';
import { snapshotFromJson, snapshotToJson, type TrainingSnapshot } from '../training-state.js';

export const CHECKPOINT_MAGIC = 'CONVOYCK';
export const CHECKPOINT_VERSION = 1;
const PREAMBLE_BYTES = 16;
const DIGEST_BYTES = 32;

interface Header {
  format: 'convoy-training-checkpoint';
  model: ModelJson;
  optimizer: Omit<OptimizerJson, 'path'>;
  weightsBytes: number;
  optimizerBytes: number;
  training: unknown;
  application: unknown;
}

/** A checkpoint read back: call `restoreInto` or `toModel` to get the model's state. */
export interface DecodedCheckpoint {
  training: TrainingSnapshot;
  /** The application's own JSON, as it was given to encodeCheckpoint (undefined if none). */
  application: unknown;
  /** The model's topology and weights manifest, as in model.json. */
  modelJson: ModelJson;
  /** A new model compiled with the checkpoint's optimizer and its state. */
  toModel(options?: { seed?: number }): Sequential;
  /** Puts the weights and optimizer state into `model`, which must have the same layers. */
  restoreInto(model: Model): void;
}

/** The checkpoint of `model` (with its optimizer) at `training`, as bytes. */
export async function encodeCheckpoint(
  model: Model,
  training: TrainingSnapshot,
  application?: unknown,
): Promise<Uint8Array> {
  const { modelJson, weights } = toArtifacts(model);
  const { json: optimizerJson, data: optimizerData } = optimizerArtifacts(model);
  const { path: _path, ...optimizer } = optimizerJson;
  const header: Header = {
    format: 'convoy-training-checkpoint',
    model: modelJson,
    optimizer,
    weightsBytes: weights.byteLength,
    optimizerBytes: optimizerData.byteLength,
    training: snapshotToJson(training),
    application: application ?? null,
  };
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const bodyLength = PREAMBLE_BYTES + headerBytes.byteLength + weights.byteLength;
  const total = bodyLength + optimizerData.byteLength + DIGEST_BYTES;
  const bytes = new Uint8Array(total);
  bytes.set(new TextEncoder().encode(CHECKPOINT_MAGIC), 0);
  const view = new DataView(bytes.buffer);
  view.setUint32(8, CHECKPOINT_VERSION, true);
  view.setUint32(12, headerBytes.byteLength, true);
  bytes.set(headerBytes, PREAMBLE_BYTES);
  bytes.set(weights, PREAMBLE_BYTES + headerBytes.byteLength);
  bytes.set(optimizerData, bodyLength);
  bytes.set(await sha256(bytes.subarray(0, total - DIGEST_BYTES)), total - DIGEST_BYTES);
  return bytes;
}

/**
 * Reads checkpoint bytes, checking the magic, the version, the digest, every length and every
 * field before anything is built from them. `where` (a file name) starts every error.
 */
export async function decodeCheckpoint(
  bytes: Uint8Array,
  where: string,
): Promise<DecodedCheckpoint> {
  const fail = (message: string): never => {
    throw new Error(`${where}: ${message}`);
  };
  const minimum = PREAMBLE_BYTES + DIGEST_BYTES;
  if (bytes.byteLength < minimum)
    fail(
      `not a complete checkpoint: ${bytes.byteLength} bytes, a checkpoint has at least ${minimum}`,
    );
  const magic = new TextDecoder().decode(bytes.subarray(0, 8));
  if (magic !== CHECKPOINT_MAGIC)
    fail(`not a Convoy checkpoint (expected it to start with "${CHECKPOINT_MAGIC}")`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version !== CHECKPOINT_VERSION)
    fail(`checkpoint format version ${version}; this Convoy reads version ${CHECKPOINT_VERSION}`);
  const digestAt = bytes.byteLength - DIGEST_BYTES;
  const digest = await sha256(bytes.subarray(0, digestAt));
  if (!digest.every((byte, i) => byte === bytes[digestAt + i]))
    fail(
      'damaged: its SHA-256 does not match the one it was written with (cut short or changed after it was saved)',
    );
  const headerLength = view.getUint32(12, true);
  if (headerLength > digestAt - PREAMBLE_BYTES)
    fail(
      `the header declares ${headerLength} bytes, but only ${digestAt - PREAMBLE_BYTES} come before the digest`,
    );
  let header: Header;
  try {
    header = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(
        bytes.subarray(PREAMBLE_BYTES, PREAMBLE_BYTES + headerLength),
      ),
    ) as Header;
  } catch (error) {
    return fail(`the header is not UTF-8 JSON (${(error as Error).message})`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header))
    fail('the header must be a JSON object');
  if (header.format !== 'convoy-training-checkpoint')
    fail(
      `the header's format is ${JSON.stringify(header.format)}, not "convoy-training-checkpoint"`,
    );
  for (const key of ['weightsBytes', 'optimizerBytes'] as const) {
    if (!Number.isSafeInteger(header[key]) || header[key] < 0 || header[key] % 4 !== 0)
      fail(`${key} must be a byte count of float32 values, got ${JSON.stringify(header[key])}`);
  }
  const weightsAt = PREAMBLE_BYTES + headerLength;
  const optimizerAt = weightsAt + header.weightsBytes;
  if (optimizerAt + header.optimizerBytes !== digestAt)
    fail(
      `the header declares ${header.weightsBytes} bytes of weights and ${header.optimizerBytes} of optimizer state, but ${digestAt - weightsAt} bytes follow it`,
    );
  const training = snapshotFromJson(header.training, `${where}: training state`);
  checkOptimizerJson(header.optimizer, fail);
  if (header.model === null || typeof header.model !== 'object')
    fail('the header has no model (its model.json)');
  const weights = bytes.slice(weightsAt, optimizerAt);
  const optimizerData = bytes.slice(optimizerAt, digestAt);
  const optimizerJson: OptimizerJson = { ...header.optimizer, path: '' };
  const named = <T>(body: () => T): T => {
    try {
      return body();
    } catch (error) {
      return fail((error as Error).message);
    }
  };
  const build = (seed?: number): Sequential =>
    named(() => {
      const model = fromArtifacts({ modelJson: header.model, weights }, { seed });
      restoreOptimizer(model, optimizerJson, optimizerData);
      return model;
    });
  // Built once here, so a checkpoint that cannot become a model fails now, naming the file.
  build(training.settings.seed);
  return {
    training,
    application: header.application ?? undefined,
    modelJson: header.model,
    toModel: (options = {}) => build(options.seed ?? training.settings.seed),
    restoreInto: (model) =>
      named(() => {
        const saved = build(model.seed);
        checkSameLayers(saved, model);
        model.setWeights(saved.getWeights());
        model.optimizer = saved.optimizer;
      }),
  };
}

function checkOptimizerJson(value: unknown, fail: (message: string) => never): void {
  const json = value as Partial<OptimizerJson> | null;
  if (json === null || typeof json !== 'object') fail('the header has no optimizer state');
  if (json!.config === null || typeof json!.config !== 'object')
    fail('the optimizer state has no config');
  if (!Number.isSafeInteger(json!.iterations) || (json!.iterations as number) < 0)
    fail(
      `the optimizer's iterations must be a non-negative integer, got ${JSON.stringify(json!.iterations)}`,
    );
  const slots = json!.slots;
  if (
    !Array.isArray(slots) ||
    !slots.every(
      (slot) =>
        slot !== null &&
        typeof slot === 'object' &&
        typeof slot.name === 'string' &&
        Array.isArray(slot.shapes) &&
        slot.shapes.every(
          (shape: unknown) =>
            Array.isArray(shape) && shape.every((n) => Number.isSafeInteger(n) && n >= 0),
        ),
    )
  )
    fail('the optimizer slots must be a list of { name, shapes: [[dims…]…] }');
}

/** The checkpoint's layers must be the model's: same names, classes and weight shapes. */
function checkSameLayers(saved: Model, model: Model): void {
  const describe = (m: Model) =>
    m.layers.map(
      (layer) =>
        `${layer.name} (${layer.className}${layer.weights.map((w) => ` ${w.name}[${w.value.shape.join(',')}]`).join('')})`,
    );
  const a = describe(saved);
  const b = describe(model);
  const first = a.findIndex((entry, i) => entry !== b[i]);
  if (first >= 0 || a.length !== b.length) {
    const at = first >= 0 ? first : Math.min(a.length, b.length);
    throw new Error(
      `the checkpoint's model differs from this one at layer ${at + 1}: ${a[at] ?? 'none'} in the checkpoint, ${b[at] ?? 'none'} here`,
    );
  }
}

/** SHA-256 through Web Crypto, which Node 20 and browsers both have. */
async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  // Web Crypto reads no shared memory: such bytes are copied first.
  const own = (
    bytes.buffer instanceof ArrayBuffer ? bytes : bytes.slice()
  ) as Uint8Array<ArrayBuffer>;
  return new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', own));
}
