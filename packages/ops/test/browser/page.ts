// The browser side of test/executor/browser.test.ts: runs conv2d forward and both backward passes
// (plain, through a fused ReLU with the bias gradient, and by Winograd) and matMul through
// createWorkerExecutor — comlink Web Workers, or the one-thread fallback when the page is not
// isolated — and through the page's single-thread ops and the reference ops, and reports the
// largest errors to the Node test, which judges them (with the tolerances of
// test/executor/executors.test.ts). Every kernel of the table runs too, judged here as in
// test/executor/every-kernel.test.ts. Also exercises the executor's fault handling in real Workers.

import { randomUniform, Tensor } from '@convoy/tensor';
import {
  activeBackend,
  conv2d,
  conv2dBackpropFilter,
  conv2dBackpropInput,
  conv2dGeometry,
  createWorkerExecutor,
  kernelNames,
  matMul,
  matMulGeometry,
  outputShape,
  reference,
  relu,
} from '../../src/index.js';
import { matMulSplit } from '../../src/matmul-split.js';
import {
  convCaseName,
  convCases,
  matMulCaseName,
  matMulCases,
  winogradCases,
} from '../executor/cases.js';
import { casesOf, differences } from '../helpers/kernel-cases.js';
import {
  ERROR_BOUND,
  tapMagnitudes,
  tileMagnitudes,
  worstOfBound,
} from '../helpers/winograd-bound.js';

export interface CaseResult {
  name: string;
  /**
   * Worst |executor - single thread| / allowed over the elements (<= 1 passes). Allowed is
   * 1e-6 + 1e-5·|expected|, or for sums split across shards (the filter gradient, a depth-split
   * matMul) 1e-5·|expected| + 2e-5·(its largest magnitude), as in helpers/close.ts.
   */
  singleThreadRatio: number;
  /**
   * Worst |executor - reference| / (1e-4 + 1e-4·|reference|); for Winograd, |executor - reference| /
   * (the error bound · the output tile's Σ|term|), as in executors.test.ts.
   */
  referenceRatio: number;
  shapeMatches: boolean;
}

export interface PageReport {
  crossOriginIsolated: boolean;
  backend: string;
  workers: number;
  cases: CaseResult[];
  /** Every kernel case (helpers/kernel-cases.ts) by name, with what differed from the op. */
  kernelCases: { name: string; problems: string[] }[];
  tasksSent: number;
  faults?: { throwMessage: string; crashMessage: string; worksAfterFaults: boolean };
  closedCallMessage: string;
}

function worstRatio(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  rtol: number,
  atol: number,
): number {
  if (actual.length !== expected.length) return Number.POSITIVE_INFINITY;
  let worst = 0;
  for (let i = 0; i < actual.length; i++) {
    const ratio = Math.abs(actual[i]! - expected[i]!) / (atol + rtol * Math.abs(expected[i]!));
    if (Number.isNaN(ratio)) return Number.POSITIVE_INFINITY;
    worst = Math.max(worst, ratio);
  }
  return worst;
}

function largestMagnitude(values: ArrayLike<number>): number {
  let largest = 0;
  for (let i = 0; i < values.length; i++) largest = Math.max(largest, Math.abs(values[i]!));
  return largest;
}

async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'no error';
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

function compare(
  name: string,
  actual: Tensor<'float32'>,
  singleThread: Tensor<'float32'>,
  oracle: Tensor<'float32'>,
  summedOverBatch = false,
): CaseResult {
  const atol = summedOverBatch ? 2e-5 * largestMagnitude(singleThread.data) : 1e-6;
  return {
    name,
    singleThreadRatio: worstRatio(actual.data, singleThread.data, 1e-5, atol),
    referenceRatio: worstRatio(actual.data, oracle.data, 1e-4, 1e-4),
    shapeMatches:
      actual.shape.join() === singleThread.shape.join() &&
      actual.shape.join() === oracle.shape.join(),
  };
}

async function runChecks(): Promise<PageReport> {
  // Two executors on purpose: without isolation the warning must still appear only once.
  await createWorkerExecutor({ workers: 2 }).close();
  const executor = createWorkerExecutor({ workers: 2, inlineFlopThreshold: 0 });
  const cases: CaseResult[] = [];
  let seed = 1;
  const uniform = (shape: readonly number[]) =>
    randomUniform(shape, { min: -1, max: 1, seed: seed++ });
  for (const c of convCases) {
    const name = convCaseName(c);
    const x = uniform(c.xShape);
    const filter = uniform(c.filterShape);
    const dy = uniform(outputShape(conv2dGeometry(c.xShape, c.filterShape, c.options)));
    cases.push(
      compare(
        `conv2d ${name}`,
        await executor.run('conv2d', x, filter, c.options),
        conv2d(x, filter, c.options),
        reference.conv2d(x, filter, c.options),
      ),
      compare(
        `conv2dBackpropInput ${name}`,
        await executor.run('conv2dBackpropInput', dy, filter, c.xShape, c.options),
        conv2dBackpropInput(dy, filter, c.xShape, c.options),
        reference.conv2dBackpropInput(dy, filter, c.xShape, c.options),
      ),
      compare(
        `conv2dBackpropFilter ${name}`,
        await executor.run('conv2dBackpropFilter', x, dy, c.filterShape, c.options),
        conv2dBackpropFilter(x, dy, c.filterShape, c.options),
        reference.conv2dBackpropFilter(x, dy, c.filterShape, c.options),
        true,
      ),
    );
    // The gradients of a layer whose forward fused bias + ReLU: y masks dy, and the filter
    // gradient also writes the bias's.
    const throughRelu = { ...c.options, reluOutput: relu(uniform(dy.shape)) };
    const channels = c.filterShape[3];
    const biases = [0, 1, 2].map(() => new Float32Array(channels));
    const [executorBias, syncBias, referenceBias] = biases as [
      Float32Array,
      Float32Array,
      Float32Array,
    ];
    cases.push(
      compare(
        `conv2dBackpropInput through a ReLU ${name}`,
        await executor.run('conv2dBackpropInput', dy, filter, c.xShape, throughRelu),
        conv2dBackpropInput(dy, filter, c.xShape, throughRelu),
        reference.conv2dBackpropInput(dy, filter, c.xShape, throughRelu),
      ),
      compare(
        `conv2dBackpropFilter through a ReLU ${name}`,
        await executor.run('conv2dBackpropFilter', x, dy, c.filterShape, {
          ...throughRelu,
          biasOut: executorBias,
        }),
        conv2dBackpropFilter(x, dy, c.filterShape, { ...throughRelu, biasOut: syncBias }),
        reference.conv2dBackpropFilter(x, dy, c.filterShape, {
          ...throughRelu,
          biasOut: referenceBias,
        }),
        true,
      ),
      compare(
        `its bias gradient ${name}`,
        new Tensor(executorBias, [channels]),
        new Tensor(syncBias, [channels]),
        new Tensor(referenceBias, [channels]),
        true,
      ),
    );
  }
  // Winograd, against the reference within its error bound relative to Σ|term|: the same op on
  // the inputs' absolute values, the largest in the output's tile (or of the filter's taps).
  const abs = (t: Tensor<'float32'>) => new Tensor(t.data.map(Math.abs), t.shape, 'float32');
  const withinBound = (
    result: CaseResult,
    actual: Tensor<'float32'>,
    exact: Tensor<'float32'>,
    magnitudes: Float64Array,
  ): CaseResult => ({
    ...result,
    referenceRatio: worstOfBound(actual.data, exact.data, magnitudes).ratio / ERROR_BOUND.winograd4,
  });
  for (const c of winogradCases) {
    const name = `by Winograd ${convCaseName(c)}`;
    const x = uniform(c.xShape);
    const filter = uniform(c.filterShape);
    const dy = uniform(outputShape(conv2dGeometry(c.xShape, c.filterShape, c.options)));
    const forward = await executor.run('conv2d', x, filter, c.options);
    const forwardExact = reference.conv2d(x, filter, c.options);
    const forwardSize = reference.conv2d(abs(x), abs(filter), c.options);
    const input = await executor.run('conv2dBackpropInput', dy, filter, c.xShape, c.options);
    const inputExact = reference.conv2dBackpropInput(dy, filter, c.xShape, c.options);
    const inputSize = reference.conv2dBackpropInput(abs(dy), abs(filter), c.xShape, c.options);
    const gradient = await executor.run('conv2dBackpropFilter', x, dy, c.filterShape, c.options);
    const gradientExact = reference.conv2dBackpropFilter(x, dy, c.filterShape, c.options);
    const gradientSize = reference.conv2dBackpropFilter(abs(x), abs(dy), c.filterShape, c.options);
    cases.push(
      withinBound(
        compare(`conv2d ${name}`, forward, conv2d(x, filter, c.options), forwardExact),
        forward,
        forwardExact,
        tileMagnitudes(forwardSize.data, forwardSize.shape),
      ),
      withinBound(
        compare(
          `conv2dBackpropInput ${name}`,
          input,
          conv2dBackpropInput(dy, filter, c.xShape, c.options),
          inputExact,
        ),
        input,
        inputExact,
        tileMagnitudes(inputSize.data, inputSize.shape),
      ),
      withinBound(
        compare(
          `conv2dBackpropFilter ${name}`,
          gradient,
          conv2dBackpropFilter(x, dy, c.filterShape, c.options),
          gradientExact,
          true,
        ),
        gradient,
        gradientExact,
        tapMagnitudes(gradientSize.data, gradientSize.shape),
      ),
    );
  }
  for (const c of matMulCases) {
    const a = uniform(c.aShape);
    const b = uniform(c.bShape);
    cases.push(
      compare(
        `matMul ${matMulCaseName(c)}`,
        await executor.run('matMul', a, b, c.options),
        matMul(a, b, c.options),
        reference.matMul(a, b, c.options),
        // A depth split adds per-shard partial products, like the filter gradient's batch sum.
        matMulSplit(matMulGeometry(c.aShape, c.bShape, c.options), executor.workers) === 'depth',
      ),
    );
  }
  const kernelCases: PageReport['kernelCases'] = [];
  for (const name of kernelNames) {
    for (const kernelCase of casesOf(name)) {
      kernelCases.push({
        name: `${name} ${kernelCase.name}`,
        problems: await differences(executor, name, kernelCase),
      });
    }
  }
  const tasksSent = executor.stats().tasks;

  let faults: PageReport['faults'];
  if (globalThis.crossOriginIsolated) {
    const throwMessage = await failure(
      executor.runTask({ kind: 'fault', fault: 'throw', message: 'boom in a web worker' }),
    );
    const crashMessage = await failure(
      executor.runTask({ kind: 'fault', fault: 'exit', message: 'web worker crash' }),
    );
    const c = convCases[2]!;
    const x = uniform(c.xShape);
    const filter = uniform(c.filterShape);
    const after = await executor.run('conv2d', x, filter, c.options);
    const expected = conv2d(x, filter, c.options);
    faults = {
      throwMessage,
      crashMessage,
      worksAfterFaults: worstRatio(after.data, expected.data, 1e-5, 1e-6) <= 1,
    };
  }

  const workers = executor.workers;
  await executor.close();
  const c = convCases[0]!;
  const closedCallMessage = await failure(
    executor.run('conv2d', uniform(c.xShape), uniform(c.filterShape)),
  );
  return {
    crossOriginIsolated: globalThis.crossOriginIsolated,
    backend: activeBackend().name,
    workers,
    cases,
    kernelCases,
    tasksSent,
    faults,
    closedCallMessage,
  };
}

(globalThis as unknown as { runChecks: typeof runChecks }).runChecks = runChecks;
