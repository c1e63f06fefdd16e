// What Convoy's property and fuzz tests share. CI runs them with one fixed seed and a bounded
// number of runs per property, so a run is repeatable and its time is known; a failure prints
// fast-check's counterexample and the seed to replay it. The mutators turn a valid file into the
// many ways a file can be broken (cut short, bytes flipped, a size field set to something huge),
// and checkConvoyError is the verdict: the error must be Convoy's own, naming the file, never a
// TypeError or RangeError from deep inside (`Cannot read properties of undefined`, `Invalid
// typed array length`, `offset is out of bounds`).

import fc from 'fast-check';

export { fc };

/** The seed every property runs with in CI (any other replays a local campaign). */
export const FUZZ_SEED = 20_241_212;

/** fast-check parameters: the fixed seed, `numRuns` inputs, the first failure reported. */
export function fuzzParameters<T>(numRuns: number): fc.Parameters<T> {
  return { seed: FUZZ_SEED, numRuns, endOnFailure: true };
}

/** Messages that mean an input reached code that never expected it, whatever wraps them. */
const INTERNAL_ERRORS = [
  /Cannot read propert/i,
  /Cannot set propert/i,
  /is not a function/,
  /is not iterable/,
  /Invalid typed array length/,
  /Invalid array length/,
  /Array buffer allocation failed/,
  /out of bounds/i,
  /Maximum call stack/,
  /undefined is not/,
  /null is not/,
];

/**
 * Fails unless `error` is an Error whose message starts with one of `prefixes` (the function or
 * command that reports it), names `file` when given, and carries no internal error in what it
 * says (an internal error may be its `cause`, kept for debugging, but not its words).
 */
export function checkConvoyError(
  error: unknown,
  expected: { prefixes: readonly string[]; file?: string },
): void {
  if (!(error instanceof Error)) throw new Error(`expected an Error, got ${String(error)}`);
  const { message } = error;
  if (!expected.prefixes.some((prefix) => message.startsWith(prefix)))
    throw new Error(
      `expected the message to start with ${expected.prefixes.join(' or ')}, got: ${message}`,
    );
  if (expected.file !== undefined && !message.includes(expected.file))
    throw new Error(`expected the message to name ${expected.file}, got: ${message}`);
  const internal = INTERNAL_ERRORS.find((pattern) => pattern.test(message));
  if (internal) throw new Error(`an internal error came through (${internal}): ${message}`);
}

/** One way of breaking a file: applied to a copy of its bytes. */
export type Mutation = (bytes: Uint8Array) => Uint8Array;

/**
 * Mutations of a valid file: cut short, bytes flipped or overwritten, bytes inserted or
 * removed, and a 32-bit field (any offset, either byte order) set to an extreme or random value
 * — the last is how declared sizes get huge.
 */
export function mutation(): fc.Arbitrary<Mutation> {
  const at = fc.nat();
  const extreme = fc.oneof(
    fc.constantFrom(0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 50_000, 65_536),
    fc.nat({ max: 0xffffffff }),
  );
  return fc.oneof(
    at.map(
      (n): Mutation =>
        (bytes) =>
          bytes.slice(0, n % (bytes.length + 1)),
    ),
    fc.tuple(at, fc.integer({ min: 1, max: 255 })).map(
      ([n, xor]): Mutation =>
        (bytes) => {
          const out = bytes.slice();
          if (out.length > 0) out[n % out.length]! ^= xor;
          return out;
        },
    ),
    fc.tuple(at, fc.uint8Array({ minLength: 1, maxLength: 16 })).map(
      ([n, junk]): Mutation =>
        (bytes) => {
          const i = n % (bytes.length + 1);
          return concat(bytes.subarray(0, i), junk, bytes.subarray(i));
        },
    ),
    fc.tuple(at, fc.integer({ min: 1, max: 64 })).map(
      ([n, count]): Mutation =>
        (bytes) => {
          const i = n % (bytes.length + 1);
          return concat(bytes.subarray(0, i), bytes.subarray(i + count));
        },
    ),
    fc.tuple(at, extreme, fc.boolean()).map(
      ([n, value, littleEndian]): Mutation =>
        (bytes) => {
          const out = bytes.slice();
          if (out.length < 4) return out;
          new DataView(out.buffer).setUint32(n % (out.length - 3), value, littleEndian);
          return out;
        },
    ),
  );
}

/**
 * Several mutations in a row (one to three), on a copy: the input is never changed (a Node
 * Buffer's slice() is a view, so the copy is a plain Uint8Array first).
 */
export function mutations(): fc.Arbitrary<Mutation> {
  return fc.array(mutation(), { minLength: 1, maxLength: 3 }).map(
    (list): Mutation =>
      (bytes) =>
        list.reduce<Uint8Array>((out, mutate) => mutate(out), new Uint8Array(bytes)),
  );
}

type JsonPath = (string | number)[];

/** Every path to a value in a JSON tree, the root's (an empty path) included. */
export function jsonPaths(value: unknown, prefix: JsonPath = []): JsonPath[] {
  const here = [prefix];
  if (Array.isArray(value))
    return here.concat(...value.map((item, i) => jsonPaths(item, [...prefix, i])));
  if (value !== null && typeof value === 'object')
    return here.concat(
      ...Object.entries(value).map(([key, item]) => jsonPaths(item, [...prefix, key])),
    );
  return here;
}

/** One edit of a JSON tree: the value at `path` replaced by `value`, or removed (no value). */
export interface JsonEdit {
  path: JsonPath;
  replacement: { value?: unknown };
}

/** A copy of `tree` with `edit` applied. */
export function applyJsonEdit(tree: unknown, edit: JsonEdit): unknown {
  const { path, replacement } = edit;
  if (path.length === 0) return replacement.value;
  const copy = structuredClone(tree) as Record<string | number, unknown>;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if ('value' in replacement) parent[last] = replacement.value;
  else if (Array.isArray(parent)) parent.splice(last as number, 1);
  else delete parent[last];
  return copy;
}

/**
 * Edits of `tree` at any of its paths: any JSON value, one of `suspects` (values known to
 * trouble a reader: sizes, wrong types, names), or removal.
 */
export function jsonEdits(
  tree: unknown,
  suspects: readonly unknown[] = [],
): fc.Arbitrary<JsonEdit> {
  const values: fc.Arbitrary<{ value?: unknown }>[] = [
    fc.record({ value: fc.jsonValue({ maxDepth: 2 }) }),
    fc.constant({}),
  ];
  if (suspects.length > 0) values.push(fc.record({ value: fc.constantFrom(...suspects) }));
  return fc.record({ path: fc.constantFrom(...jsonPaths(tree)), replacement: fc.oneof(...values) });
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Prints how many inputs a parser was tried with, for the suite's closing counts. */
export function reportCount(parser: string, inputs: number): void {
  console.log(`fuzz: ${parser}: ${inputs} inputs`);
}
