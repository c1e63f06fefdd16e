// One or more calls of every kernel in the table, and how to judge an executor's run of one against
// the synchronous op. The cases are typed by the table, so a kernel added to it without a case does
// not compile. Batches, rows and element counts are odd, so two workers split them unevenly; inputs
// alternate between shared and ordinary storage, so both the no-copy and the copy path run. Written
// for Node and the browser alike (test/browser/page.ts runs them in Web Workers).

import { allocate, canShareMemory, randomUniform, type Shape } from '@convoy/tensor';
import {
  adamUpdate,
  avgPool2d,
  avgPool2dBackward,
  biasAddReluBackward,
  conv2d,
  conv2dBackpropFilter,
  conv2dBackpropFilterPerExample,
  conv2dBackpropInput,
  conv2dGeometry,
  type Executor,
  globalAvgPool2d,
  globalAvgPool2dBackward,
  type KernelArgs,
  type KernelName,
  type KernelOps,
  type KernelResult,
  matMul,
  matMulGeometry,
  maxPool2d,
  maxPool2dBackward,
  outputShape,
  type PoolingOptions,
  poolingGeometry,
  relu,
} from '../../src/index.js';
import { matMulSplit } from '../../src/matmul-split.js';

export interface KernelCase<K extends KernelName> {
  /** The shapes and options, as a test name: `x=[3,7,7,2] f=[3,3,2,4] s=2 p=same`. */
  name: string;
  /** Fresh arguments, the same values every time: a call writes its `out`s (and Adam's state). */
  args(): KernelArgs<K>;
  /** Every array the call wrote, by name: its result's and the `out`s among its arguments. */
  outputs(result: KernelResult<K>, args: KernelArgs<K>): Record<string, Float32Array>;
  /**
   * The outputs a call split over `workers` threads adds up from per-shard partials (another
   * order of additions than one thread's), judged within a tolerance; all others must be the same
   * bits, each element computed by one thread exactly as the synchronous op computes it.
   */
  summed?(workers: number): string[];
}

export type KernelCases = { readonly [K in KernelName]: readonly KernelCase<K>[] };

/** The package's synchronous op of each kernel; typed so that one missing does not compile. */
export const synchronousOps: KernelOps = {
  conv2d,
  conv2dBackpropInput,
  conv2dBackpropFilter,
  conv2dBackpropFilterPerExample,
  matMul,
  maxPool2d,
  maxPool2dBackward,
  avgPool2d,
  avgPool2dBackward,
  globalAvgPool2d,
  globalAvgPool2dBackward,
  biasAddReluBackward,
  adamUpdate,
};

/** Uniform values in [-1, 1); on shared memory for even seeds where the runtime has it. */
function uniform(shape: Shape, seed: number) {
  return randomUniform(shape, {
    min: -1,
    max: 1,
    seed,
    shared: canShareMemory() && seed % 2 === 0,
  });
}

/**
 * Storage for an `out` a worker executor writes: on shared memory where there is any, and NaN, so
 * an element no shard wrote shows.
 */
function outStorage(size: number): Float32Array {
  return allocate('float32', size, { shared: canShareMemory() }).fill(Number.NaN);
}

const conv = {
  xShape: [3, 7, 7, 2],
  filterShape: [3, 3, 2, 4],
  options: { strides: 2, padding: 'same' },
} as const;
const convDyShape = outputShape(conv2dGeometry(conv.xShape, conv.filterShape, conv.options));
const convName = 'x=[3,7,7,2] f=[3,3,2,4] s=2 p=same';

/** A 3×3 'same' layer of stride 1 with a bias and ReLU, as a Conv2D layer runs it. */
const layer = { xShape: [5, 6, 5, 3], filterShape: [3, 3, 3, 8], dyShape: [5, 6, 5, 8] } as const;
const layerName = 'x=[5,6,5,3] f=[3,3,3,8] p=same';

const poolings: { name: string; xShape: Shape; options: PoolingOptions }[] = [
  {
    name: 'x=[3,7,6,5] k=3 s=2 p=same',
    xShape: [3, 7, 6, 5],
    options: { poolSize: 3, strides: 2, padding: 'same' },
  },
  // The 2x2 / stride 2 / unpadded geometry the WebAssembly backend has SIMD kernels for.
  { name: 'x=[3,8,8,4] k=2 s=2 p=valid', xShape: [3, 8, 8, 4], options: { poolSize: 2 } },
];

const globalPoolings: { name: string; xShape: Shape; givenOut: boolean }[] = [
  { name: 'x=[5,7,6,3]', xShape: [5, 7, 6, 3], givenOut: false },
  { name: 'x=[3,4,4,8] out', xShape: [3, 4, 4, 8], givenOut: true },
];

/** Named by the axis two workers split them over (one worker always splits by rows). */
const matMuls: {
  name: string;
  aShape: Shape;
  bShape: Shape;
  transposeA?: boolean;
  transposeB?: boolean;
}[] = [
  { name: 'a=[7,5] b=[5,3] (rows)', aShape: [7, 5], bShape: [5, 3] },
  { name: 'a=[33,9]ᵀ b=[33,17] (rows)', aShape: [33, 9], bShape: [33, 17], transposeA: true },
  { name: 'a=[4,600] b=[600,24] (depth)', aShape: [4, 600], bShape: [600, 24] },
  { name: 'a=[4,24] b=[600,24]ᵀ (columns)', aShape: [4, 24], bShape: [600, 24], transposeB: true },
];

const ADAM_LENGTH = 1001;

export const kernelCases: KernelCases = {
  conv2d: [
    {
      name: convName,
      args: () => [uniform(conv.xShape, 1), uniform(conv.filterShape, 2), conv.options],
      outputs: (out) => ({ out: out.data }),
    },
    {
      // The bias on ordinary storage: a worker executor copies it onto shared memory, as any input.
      name: `${layerName} bias relu`,
      args: () => [
        uniform(layer.xShape, 4),
        uniform(layer.filterShape, 6),
        { padding: 'same', bias: uniform([8], 7), activation: 'relu' },
      ],
      outputs: (out) => ({ out: out.data }),
    },
  ],
  conv2dBackpropInput: [
    {
      name: convName,
      args: () => [
        uniform(convDyShape, 3),
        uniform(conv.filterShape, 2),
        conv.xShape,
        conv.options,
      ],
      outputs: (dx) => ({ dx: dx.data }),
    },
    {
      name: `${layerName} through a ReLU`,
      args: () => [
        uniform(layer.dyShape, 8),
        uniform(layer.filterShape, 6),
        layer.xShape,
        { padding: 'same', reluOutput: relu(uniform(layer.dyShape, 9)) },
      ],
      outputs: (dx) => ({ dx: dx.data }),
    },
  ],
  conv2dBackpropFilter: [
    {
      name: convName,
      args: () => [
        uniform(conv.xShape, 1),
        uniform(convDyShape, 3),
        conv.filterShape,
        conv.options,
      ],
      outputs: (dw) => ({ dw: dw.data }),
      summed: () => ['dw'],
    },
    {
      name: `${layerName} through a ReLU, biasOut`,
      args: () => [
        uniform(layer.xShape, 4),
        uniform(layer.dyShape, 8),
        layer.filterShape,
        {
          padding: 'same',
          reluOutput: relu(uniform(layer.dyShape, 9)),
          biasOut: new Float32Array(8),
        },
      ],
      outputs: (dw, [, , , options]) => ({ dw: dw.data, biasOut: options!.biasOut! }),
      summed: () => ['dw', 'biasOut'],
    },
  ],
  conv2dBackpropFilterPerExample: [
    {
      name: convName,
      args: () => [
        uniform(conv.xShape, 1),
        uniform(convDyShape, 3),
        conv.filterShape,
        conv.options,
      ],
      outputs: (dw) => ({ dw: dw.data }),
    },
    {
      // Each example's bias gradient goes to its own slot: written in parts, like dw.
      name: `${layerName} through a ReLU, biasOut`,
      args: () => [
        uniform(layer.xShape, 4),
        uniform(layer.dyShape, 8),
        layer.filterShape,
        {
          padding: 'same',
          reluOutput: relu(uniform(layer.dyShape, 9)),
          biasOut: outStorage(5 * 8),
        },
      ],
      outputs: (dw, [, , , options]) => ({ dw: dw.data, biasOut: options!.biasOut! }),
    },
  ],
  matMul: matMuls.map(({ name, aShape, bShape, transposeA, transposeB }, i) => ({
    name,
    args: () => [
      uniform(aShape, 20 + 2 * i),
      uniform(bShape, 21 + 2 * i),
      { transposeA, transposeB },
    ],
    outputs: (out) => ({ out: out.data }),
    // Rows and columns are written in parts; a depth split adds the shards' partial products.
    summed: (workers) => {
      const g = matMulGeometry(aShape, bShape, { transposeA, transposeB });
      return matMulSplit(g, workers) === 'depth' ? ['out'] : [];
    },
  })),
  maxPool2d: poolings.map(({ name, xShape, options }) => ({
    name,
    args: () => [uniform(xShape, 30), options],
    outputs: (out) => ({ out: out.data }),
  })),
  maxPool2dBackward: poolings.map(({ name, xShape, options }) => ({
    name,
    args: () => [
      uniform(outputShape(poolingGeometry(xShape, options)), 31),
      uniform(xShape, 30),
      options,
    ],
    outputs: (dx) => ({ dx: dx.data }),
  })),
  avgPool2d: poolings.map(({ name, xShape, options }) => ({
    name,
    args: () => [uniform(xShape, 32), options],
    outputs: (out) => ({ out: out.data }),
  })),
  avgPool2dBackward: poolings.map(({ name, xShape, options }) => ({
    name,
    args: () => [uniform(outputShape(poolingGeometry(xShape, options)), 33), xShape, options],
    outputs: (dx) => ({ dx: dx.data }),
  })),
  globalAvgPool2d: globalPoolings.map(({ name, xShape, givenOut }, i) => ({
    name,
    args: () => [
      uniform(xShape, 34 + i),
      givenOut ? { out: outStorage(xShape[0]! * xShape[3]!) } : {},
    ],
    outputs: (out) => ({ out: out.data }),
  })),
  globalAvgPool2dBackward: globalPoolings.map(({ name, xShape }, i) => ({
    name,
    args: () => [uniform([xShape[0]!, xShape[3]!], 36 + i), xShape],
    outputs: (dx) => ({ dx: dx.data }),
  })),
  biasAddReluBackward: [
    {
      name: 'dy=[3,5,4,6]',
      args: () => [uniform([3, 5, 4, 6], 40), relu(uniform([3, 5, 4, 6], 41))],
      outputs: ({ dx, dBias }) => ({ dx: dx.data, dBias: dBias.data }),
      summed: () => ['dBias'],
    },
    {
      name: 'dy=[7,5] out',
      args: () => [uniform([7, 5], 42), relu(uniform([7, 5], 43)), { out: outStorage(35) }],
      outputs: ({ dx, dBias }) => ({ dx: dx.data, dBias: dBias.data }),
      summed: () => ['dBias'],
    },
  ],
  adamUpdate: [
    {
      // In place: the weights and both moments are outputs, so they sit on shared memory.
      name: `n=${ADAM_LENGTH} step 3`,
      args: () => {
        const state = (seed: number, min: number) => {
          const values = randomUniform([ADAM_LENGTH], { min, max: 1, seed }).data;
          const array = allocate('float32', ADAM_LENGTH, { shared: canShareMemory() });
          array.set(values);
          return array;
        };
        const [beta1, beta2, step] = [0.9, 0.999, 3];
        const stepSize = (1e-3 * Math.sqrt(1 - beta2 ** step)) / (1 - beta1 ** step);
        const coefficients = { stepSize, beta1, beta2, epsilon: 1e-7 };
        return [state(50, -1), state(51, -1), state(52, -0.1), state(53, 0), coefficients];
      },
      outputs: (_, [param, , m, v]) => ({ param, m, v }),
    },
  ],
};

/** Every case of kernel `name` (typed by the name, which a loop over the table loses). */
export function casesOf<K extends KernelName>(name: K): readonly KernelCase<K>[] {
  return kernelCases[name];
}

/**
 * What is wrong with `executor`'s run of one case, against the synchronous op on the same
 * arguments: an empty list when every output matches. Outputs summed over shards may differ by
 * the order of additions, 1e-5 relative plus 2e-5 of the output's largest magnitude (as
 * helpers/close.ts's expectSummedClose); a call on one thread (one worker, or none) sums nothing
 * differently, so there every output must be the same bits.
 */
export async function differences<K extends KernelName>(
  executor: Executor,
  name: K,
  kernelCase: KernelCase<K>,
): Promise<string[]> {
  const expectedArgs = kernelCase.args();
  const expected = kernelCase.outputs(synchronousOps[name](...expectedArgs), expectedArgs);
  const args = kernelCase.args();
  const actual = kernelCase.outputs(await executor.run(name, ...args), args);
  const summed = executor.workers > 1 ? (kernelCase.summed?.(executor.workers) ?? []) : [];
  const problems: string[] = [];
  if (Object.keys(actual).join() !== Object.keys(expected).join()) {
    problems.push(`outputs ${Object.keys(actual)}, expected ${Object.keys(expected)}`);
  }
  for (const [output, values] of Object.entries(expected)) {
    const got = actual[output];
    if (got === undefined) continue;
    const problem = summed.includes(output)
      ? worstSummed(got, values)
      : firstDifferentBits(got, values);
    if (problem) problems.push(`${output}${problem}`);
  }
  return problems;
}

function firstDifferentBits(actual: Float32Array, expected: Float32Array): string | undefined {
  if (actual.length !== expected.length) {
    return `: ${actual.length} elements, expected ${expected.length}`;
  }
  const a = new Uint32Array(actual.buffer, actual.byteOffset, actual.length);
  const e = new Uint32Array(expected.buffer, expected.byteOffset, expected.length);
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== e[i]) return `[${i}]: got ${actual[i]}, expected the bits of ${expected[i]}`;
  }
  return undefined;
}

function worstSummed(actual: Float32Array, expected: Float32Array): string | undefined {
  if (actual.length !== expected.length) {
    return `: ${actual.length} elements, expected ${expected.length}`;
  }
  let scale = 0;
  for (const value of expected) scale = Math.max(scale, Math.abs(value));
  let worst: string | undefined;
  let worstExcess = 0;
  for (let i = 0; i < actual.length; i++) {
    const error = Math.abs(actual[i]! - expected[i]!);
    const allowed = 1e-5 * Math.abs(expected[i]!) + 2e-5 * scale;
    if (!(error <= allowed) && (worst === undefined || !(error - allowed <= worstExcess))) {
      worst = `[${i}]: got ${actual[i]}, expected ${expected[i]} (error ${error}, allowed ${allowed})`;
      worstExcess = error - allowed;
    }
  }
  return worst;
}
