// The trainer's side of the data-parallel engine: sets up the shared memory for a model and a
// training set, starts the replicas — one on the calling thread, or one per worker thread — and
// runs steps on them. fit drives it batch by batch; callbacks run between steps, when every
// replica is idle and the model's weights and the optimizer's slots (shared with the replicas)
// hold the step's result.

import { type Executor, inlineExecutor } from '@convoy/ops';
import { canShareMemory, type Tensor } from '@convoy/tensor';
import { startReplicaThreads } from '#replica-threads';
import type { FitTiming } from '../callbacks.js';
import type { Model } from '../model.js';
import { modelTopology } from '../topology.js';
import { Command, type CommandCode, Control } from './control.js';
import { plannedFault } from './faults.js';
import { allocateMemory, datasetOf, type ReplicaMemory, rowsOf, TIMING_FIELDS } from './memory.js';
import { checkReplicable, planGradients } from './plan.js';
import { alone, Replica, type StepArguments, type StepOutcome } from './replica.js';
import { leaseThreads, type ReplicaInit } from './threads.js';

export interface Engine {
  readonly replicas: number;
  /** The order, losses and correct flags steps read and write (see ReplicaMemory). */
  readonly memory: ReplicaMemory;
  /** One step on every replica; the batch's per-example losses are then in memory.losses. */
  step(args: StepArguments): Promise<StepOutcome>;
  /**
   * Scores the evaluation data (EngineOptions.evaluation) in batches of batchSize across the
   * replicas; the per-example losses and correct flags are then in memory.evaluation.
   */
  evaluate(batchSize: number): Promise<void>;
  /** Milliseconds the calling thread spent waiting for replicas (the rest of fit is its own). */
  readonly waitedMs: number;
  /** Each replica's time so far (see FitTiming). */
  replicaTiming(): FitTiming['replicas'];
  /** Stops the replicas and ends their threads; safe to call twice. */
  close(): Promise<void>;
}

export interface EngineOptions {
  x: Tensor;
  y: Tensor;
  batchSize: number;
  /** 1 runs the only replica on this thread; more start that many worker threads. */
  replicas: number;
  /** The one replica on this thread runs its ops here (default: inline). */
  executor?: Executor | undefined;
  /** Data for `evaluate` (fit's validation data). */
  evaluation?: readonly [Tensor, Tensor] | undefined;
}

export async function startEngine(model: Model, options: EngineOptions): Promise<Engine> {
  checkReplicable(model, 'fit');
  const { replicas, batchSize } = options;
  const executor = options.executor ?? inlineExecutor();
  // Worker threads read and write it all; a worker executor on this thread writes the per-example
  // gradients from its workers.
  const shared = replicas > 1 || (executor.workers > 1 && canShareMemory());
  if (replicas > 1 && !canShareMemory()) {
    throw new Error(
      `fit: ${replicas} workers need SharedArrayBuffer, which this runtime lacks (a browser page needs cross-origin isolation: Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp); use workers: 1`,
    );
  }
  const optimizer = model.optimizer!;
  const params = model.trainableWeights.map((weight) => weight.value);
  const plan = planGradients(model, replicas, batchSize);
  const memory = allocateMemory({
    plan,
    weights: model.weights.map((weight) => weight.value.data),
    slots: optimizer.bindSlots(params, { shared }),
    train: datasetOf(options.x, options.y, shared),
    evaluation:
      options.evaluation && datasetOf(options.evaluation[0], options.evaluation[1], shared),
    batchSize,
    replicas,
    shared,
  });
  if (shared && memory.weights.some((weights) => !(weights.buffer instanceof SharedArrayBuffer))) {
    throw new Error('fit: the model weights are not on shared memory (build the model before fit)');
  }
  if (replicas === 1) {
    const replica = new Replica({
      model,
      plan,
      memory,
      rendezvous: alone,
      executor,
      optimizer,
      index: 0,
      replicas: 1,
    });
    return {
      replicas: 1,
      memory,
      step: (args) => replica.step(args),
      evaluate: (size) => replica.evaluate(0, evaluationRows(memory), size),
      waitedMs: 0,
      replicaTiming: () => timingOf(memory, 1),
      close: async () => {},
    };
  }
  return startThreads(model, memory, replicas);
}

async function startThreads(
  model: Model,
  memory: ReplicaMemory,
  replicas: number,
): Promise<Engine> {
  const control = new Control(memory.control, replicas);
  const lease = leaseThreads(replicas, startReplicaThreads);
  const threads = lease.threads;
  const base: Omit<ReplicaInit, 'index'> = {
    topology: modelTopology(model),
    seed: model.seed,
    loss: model.loss!,
    metrics: model.metrics,
    optimizer: model.optimizer!.getConfig(),
    memory,
    replicas,
    fault: plannedFault(),
  };
  let failure: Error | undefined;
  const runs = Array.from({ length: replicas }, (_, index) =>
    threads.run({ ...base, index }).catch((error: unknown) => {
      failure ??= new Error(`replica ${index} failed: ${messageOf(error)}`, { cause: error });
      control.abort(index + 1);
    }),
  );
  let closed = false;
  let waitedMs = 0;
  const close = async () => {
    if (closed) return;
    closed = true;
    if (!failure) control.issue(Command.stop);
    else control.abort(-1);
    // Replicas stop at once; one that does not (a runaway kernel) is ended with its thread.
    const stopped = await settlesWithin(Promise.all(runs), 10_000);
    await lease.release(stopped && !failure);
  };
  /** Issues a command and waits for every replica to finish it, or throws why one failed. */
  const run = async (command: CommandCode, args: number[]): Promise<void> => {
    if (closed) throw new Error('the data-parallel engine is closed');
    if (failure) throw failure;
    const started = performance.now();
    control.issue(command, args);
    await control.settled();
    if (control.aborted !== 0) {
      // The failing replica's run settles right after it aborts: wait for its reason.
      await settlesWithin(Promise.all(runs), 5000);
      throw failure ?? new Error('a replica stopped without saying why');
    }
    waitedMs += performance.now() - started;
  };
  return {
    replicas,
    memory,
    get waitedMs() {
      return waitedMs;
    },
    replicaTiming: () => timingOf(memory, replicas),
    async step(args) {
      await run(Command.step, [args.batchStart, args.count, args.iteration]);
      return control.status === 0 ? 'updated' : 'non-finite loss';
    },
    evaluate: (size) => run(Command.evaluate, [0, evaluationRows(memory), size]),
    close,
  };
}

function evaluationRows(memory: ReplicaMemory): number {
  if (!memory.evaluation) throw new Error('fit: the engine has no evaluation data');
  return rowsOf(memory.evaluation.data);
}

function timingOf(memory: ReplicaMemory, replicas: number): FitTiming['replicas'] {
  return Array.from({ length: replicas }, (_, r) => {
    const [forwardBackwardMs, barrierMs, updateMs] = memory.timing.subarray(
      r * TIMING_FIELDS,
      (r + 1) * TIMING_FIELDS,
    );
    return { forwardBackwardMs: forwardBackwardMs!, barrierMs: barrierMs!, updateMs: updateMs! };
  });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Whether `promise` settled within `ms` (the timer is cleared, so it never holds a process open). */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
