// Convoy's side of the benchmark, through the public @convoy/ops API only: the synchronous ops
// (one thread, on the default backend) and worker executors of 1 and of all cores, the latter also
// writing into a reused result buffer; convolutions by Winograd and by the direct kernels (the
// `algorithm` option). Inputs live on SharedArrayBuffers, so the workers split them without copying.

import {
  activeBackend,
  conv2d,
  conv2dBackpropFilter,
  conv2dBackpropInput,
  createWorkerExecutor,
  type Executor,
  matMul,
  type WorkerExecutor,
} from '@convoy/ops';
import { allocate, randomUniform, type Tensor } from '@convoy/tensor';
import { type Algorithm, type BenchCase, winogradFlops } from './cases.js';

export interface ConvoyRunner {
  /** Runs the case once; resolves when the result is complete. */
  run(): unknown;
}

interface Inputs {
  conv?: { x: Tensor<'float32'>; filter: Tensor<'float32'>; dy: Tensor<'float32'> };
  matMul?: { a: Tensor<'float32'>; b: Tensor<'float32'> };
}

function shared(shape: number[], seed: number): Tensor<'float32'> {
  return randomUniform(shape, { min: -1, max: 1, seed, shared: true });
}

function inputsFor(benchCase: BenchCase): Inputs {
  if (benchCase.conv) {
    const { xShape, filterShape } = benchCase.conv;
    const [batch, height, width] = xShape;
    return {
      conv: {
        x: shared(xShape, 1),
        filter: shared(filterShape, 2),
        dy: shared([batch, height, width, filterShape[3]], 3),
      },
    };
  }
  const { m, k, n } = benchCase.matMul!;
  return { matMul: { a: shared([m, k], 4), b: shared([k, n], 5) } };
}

/** The sync op for a case: one thread, the default backend. */
export function syncRunner(benchCase: BenchCase, algorithm?: Algorithm): ConvoyRunner {
  const inputs = inputsFor(benchCase);
  const { conv, matMul: mm } = inputs;
  const options = { padding: benchCase.conv?.padding ?? 'same', algorithm } as const;
  switch (benchCase.kind) {
    case 'conv2d':
      return { run: () => conv2d(conv!.x, conv!.filter, options) };
    case 'conv2dBackpropInput':
      return { run: () => conv2dBackpropInput(conv!.dy, conv!.filter, conv!.x.shape, options) };
    case 'conv2dBackpropFilter':
      return { run: () => conv2dBackpropFilter(conv!.x, conv!.dy, conv!.filter.shape, options) };
    case 'matMul':
      return { run: () => matMul(mm!.a, mm!.b) };
  }
}

/** Elements of a case's result. */
function resultSize(benchCase: BenchCase, inputs: Inputs): number {
  if (inputs.conv) {
    const { x, filter, dy } = inputs.conv;
    if (benchCase.kind === 'conv2dBackpropInput') return x.size;
    if (benchCase.kind === 'conv2dBackpropFilter') return filter.size;
    return dy.size;
  }
  return benchCase.matMul!.m * benchCase.matMul!.n;
}

/**
 * The same case through an executor (worker threads). With `reuseOutput` every call writes into one
 * shared result buffer (the ops' `out`), as a training loop's layers do, instead of a new array
 * whose pages fault on first write.
 */
export function executorRunner(
  benchCase: BenchCase,
  executor: Executor,
  { reuseOutput = false, algorithm }: { reuseOutput?: boolean; algorithm?: Algorithm } = {},
): ConvoyRunner {
  const inputs = inputsFor(benchCase);
  const { conv, matMul: mm } = inputs;
  const out = reuseOutput
    ? allocate('float32', resultSize(benchCase, inputs), { shared: true })
    : undefined;
  const options = { padding: benchCase.conv?.padding ?? 'same', out, algorithm } as const;
  switch (benchCase.kind) {
    case 'conv2d':
      return { run: () => executor.run('conv2d', conv!.x, conv!.filter, options) };
    case 'conv2dBackpropInput':
      return {
        run: () =>
          executor.run('conv2dBackpropInput', conv!.dy, conv!.filter, conv!.x.shape, options),
      };
    case 'conv2dBackpropFilter':
      return {
        run: () =>
          executor.run('conv2dBackpropFilter', conv!.x, conv!.dy, conv!.filter.shape, options),
      };
    case 'matMul':
      return { run: () => executor.run('matMul', mm!.a, mm!.b, { out }) };
  }
}

/** One Convoy row of a case: how it runs and what it computes with. */
export interface RunnerSpec {
  runner: string;
  kind: 'sync' | 'workers';
  workers: number;
  /** Convolutions only. */
  algorithm?: Algorithm;
  /** Writes into a reused result buffer (`out`). */
  out: boolean;
  /** The operations it performs (Winograd: its GEMMs'), for the real GFLOP/s. */
  realFlops: number;
  run(): unknown;
  /** Whether it has reached its steady state (timing.ts warms it up until then). */
  settled?: () => boolean;
}

/** Calls in a row without a new result buffer after which an executor's recycler is steady. */
const STEADY_CALLS = 10;

/**
 * A worker executor's results without `out` reuse the storage of dropped ones once the garbage collector
 * has found them (the first collection comes after ~64 MiB of results, 10–20 calls here): the
 * steady state of a loop of calls, which this reports once the executor went STEADY_CALLS calls
 * without a new buffer.
 */
function recyclingSettled(executor: WorkerExecutor): () => boolean {
  let lastNew = -1;
  let calm = 0;
  return () => {
    const { newOutputs } = executor.stats();
    calm = newOutputs === lastNew ? calm + 1 : 0;
    lastNew = newOutputs;
    return calm >= STEADY_CALLS;
  };
}

/**
 * Convoy's rows for a case. A convolution runs on one thread by the direct kernels and by
 * Winograd, on every executor by Winograd without `out`, and on the widest executor with `out` by both
 * algorithms; so the same run gives Winograd against direct and a call without `out` against one
 * with it. A matMul runs on one thread and every executor, and on the widest with `out`.
 */
export function convoyRunners(
  benchCase: BenchCase,
  executors: { workers: number; executor: WorkerExecutor }[],
): RunnerSpec[] {
  const widest = executors[executors.length - 1]!;
  const realFlops = (algorithm?: Algorithm) =>
    algorithm === 'winograd' ? winogradFlops(benchCase.conv!) : benchCase.flops;
  const sync = (algorithm?: Algorithm): RunnerSpec => ({
    runner: `convoy sync${algorithm ? `, ${algorithm}` : ''}`,
    kind: 'sync',
    workers: 1,
    algorithm,
    out: false,
    realFlops: realFlops(algorithm),
    run: syncRunner(benchCase, algorithm).run,
  });
  const onWorkers = (
    { workers, executor }: { workers: number; executor: WorkerExecutor },
    algorithm: Algorithm | undefined,
    out: boolean,
  ): RunnerSpec => ({
    runner: `convoy workers ×${workers}${algorithm ? `, ${algorithm}` : ''}${out ? ', out' : ''}`,
    kind: 'workers',
    workers,
    algorithm,
    out,
    realFlops: realFlops(algorithm),
    run: executorRunner(benchCase, executor, { reuseOutput: out, algorithm }).run,
    ...(out ? {} : { settled: recyclingSettled(executor) }),
  });
  if (!benchCase.conv) {
    return [
      sync(),
      ...executors.map((p) => onWorkers(p, undefined, false)),
      onWorkers(widest, undefined, true),
    ];
  }
  return [
    sync('direct'),
    sync('winograd'),
    ...executors.map((p) => onWorkers(p, 'winograd', false)),
    onWorkers(widest, 'winograd', true),
    onWorkers(widest, 'direct', true),
  ];
}

export function convoyBackendName(): string {
  return activeBackend().name;
}

export function openWorkers(workers: number): WorkerExecutor {
  return createWorkerExecutor({ workers });
}
