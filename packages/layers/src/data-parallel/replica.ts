// One replica of the model and the training step it runs on its rows of a batch:
//   phase 1  its rows: gather them from the shared training set, forward, per-example losses,
//            backward (input gradients; per-example weight gradients into the shared slots;
//            whole-batch buffers for by-parameter weights)
//   barrier  every replica's phase 1 is written
//   phase 2  its range of the parameters: each gradient element summed over the examples in
//            example order (or computed over the whole batch by the layer), then the optimizer's
//            update of that range
// The same class runs on a worker thread (one of several, synchronized through Control) and on
// the calling thread (the only replica, where every barrier is trivially passed). Nothing in a
// step depends on how many replicas share it, so the weights come out bit-identical.

import type { Executor, ExecutorLoop } from '@convoy/ops';
import type { Optimizer } from '@convoy/optim';
import { createRng, type Rng, sizeOf, Tensor, type TypedArrayFor } from '@convoy/tensor';
import { fusedSoftmax } from '../gradients.js';
import type { Layer, ReplicaStep, RunContext } from '../layer.js';
import {
  exampleCorrect,
  exampleLosses,
  lossGradient,
  softmaxCrossEntropyGradient,
} from '../losses.js';
import type { Model } from '../model.js';
import { forward } from '../run-model.js';
import { type ReplicaMemory, type SharedDataset, TIMING_FIELDS } from './memory.js';
import { type GradientPlan, rowsOf } from './plan.js';

/** How replicas wait for each other: Control's barriers, or nothing for a lone replica. */
export interface Rendezvous {
  phase(): void;
  collective(participants: number): void;
}

export const alone: Rendezvous = { phase() {}, collective() {} };

export interface ReplicaSetup {
  model: Model;
  plan: GradientPlan;
  memory: ReplicaMemory;
  rendezvous: Rendezvous;
  executor: Executor;
  /** Used for updateSlice only: the trainer's optimizer, or one made from its config. */
  optimizer: Optimizer;
  index: number;
  replicas: number;
}

export interface StepArguments {
  /** Where the batch starts in memory.order. */
  batchStart: number;
  /** Rows of the batch. */
  count: number;
  /** The optimizer's iterations before this step. */
  iteration: number;
}

export type StepOutcome = 'updated' | 'non-finite loss';

export class Replica {
  private readonly layerIndex = new Map<Layer, number>();
  private readonly plannedIndex = new Map<string, number>();
  /** Result storage reused step to step: one loop for training steps, one for evaluation. */
  private readonly trainLoop: ExecutorLoop;
  private readonly evaluationLoop: ExecutorLoop;
  /** The gathered rows of this replica's part of the batch. */
  private input = new Float32Array(0);
  private readonly gradients: (Float32Array | undefined)[] = [];
  private readonly seed: number;
  /** The largest batch the per-example gradients have room for. */
  private readonly batchCapacity: number;
  /** Float64 sums of per-example gradients, as long as the largest per-example part owned. */
  private readonly sums: Float64Array;

  constructor(private readonly setup: ReplicaSetup) {
    setup.model.layers.forEach((layer, i) => {
      this.layerIndex.set(layer, i);
    });
    setup.plan.weights.forEach((weight, i) => {
      this.plannedIndex.set(`${weight.layer}/${weight.weight}`, i);
    });
    this.seed = setup.model.seed;
    this.trainLoop = setup.executor.loop();
    this.evaluationLoop = setup.executor.loop();
    this.batchCapacity = setup.memory.losses.length;
    const parts = setup.plan.owned[setup.index]!.filter(
      (part) => setup.plan.weights[part.index]!.mode === 'per-example',
    );
    this.sums = new Float64Array(Math.max(0, ...parts.map((part) => part.end - part.start)));
  }

  /** One training step; every replica gets the same arguments and returns the same outcome. */
  async step(args: StepArguments): Promise<StepOutcome> {
    const { index, replicas, rendezvous, memory } = this.setup;
    const rows = rowsOf(index, replicas, args.count);
    const view = this.stepView(rows.start, rows.count, args);
    const timing = memory.timing.subarray(index * TIMING_FIELDS, (index + 1) * TIMING_FIELDS);
    const started = performance.now();
    if (rows.count > 0) await this.forwardAndBackward(view, args.batchStart);
    const computed = performance.now();
    rendezvous.phase();
    const met = performance.now();
    timing[0]! += computed - started;
    timing[1]! += met - computed;
    for (let e = 0; e < args.count; e++) {
      if (!Number.isFinite(memory.losses[e]!)) return 'non-finite loss';
    }
    this.reduceAndUpdate(view, args.iteration);
    timing[2]! += performance.now() - met;
    return 'updated';
  }

  /**
   * The per-example loss and correctness of rows [from, to) of the evaluation data, this replica's
   * share of them in batches of `batchSize`, forward only.
   */
  async evaluate(from: number, to: number, batchSize: number): Promise<void> {
    const { model, memory, index, replicas } = this.setup;
    const evaluation = memory.evaluation;
    if (!evaluation) throw new Error(`replica ${index}: there is no evaluation data`);
    const rows = rowsOf(index, replicas, to - from);
    const context: RunContext = {
      training: false,
      executor: this.evaluationLoop,
      rng: model.trainingRng,
    };
    for (
      let start = from + rows.start;
      start < from + rows.start + rows.count;
      start += batchSize
    ) {
      const count = Math.min(batchSize, from + rows.start + rows.count - start);
      this.evaluationLoop.step();
      const [x, y] = slice(evaluation.data, start, count);
      const output = await forward(model, x, context);
      exampleLosses(model.loss!, output, y, evaluation.losses, start);
      exampleCorrect(model.loss!, output, y, evaluation.correct, start);
    }
  }

  private async forwardAndBackward(view: ReplicaStep, batchStart: number): Promise<void> {
    const { model, memory } = this.setup;
    const loss = model.loss!;
    const xRow = sizeOf(memory.train.xShape);
    if (this.input.length !== view.count * xRow) this.input = new Float32Array(view.count * xRow);
    const [x, y] = gather(
      memory.train,
      memory.order,
      batchStart + view.start,
      view.count,
      this.input,
    );
    this.trainLoop.step();
    const context: RunContext = {
      training: true,
      executor: this.trainLoop,
      rng: model.trainingRng,
      replica: view,
    };
    const output = await forward(model, x, context);
    exampleLosses(loss, output, y, memory.losses, view.start);
    exampleCorrect(loss, output, y, memory.correct, view.start);
    const fused = fusedSoftmax(model, loss);
    let dy = fused
      ? softmaxCrossEntropyGradient(loss, fused.lastLogits, y, view.batchSize)
      : lossGradient(loss, output, y, view.batchSize);
    for (let i = model.layers.length - 1; i >= 0; i--) {
      const result = await model.layers[i]!.backward(dy, context, {
        needInputGradient: i > 0,
        gradientIsPreActivation: fused !== undefined && i === model.layers.length - 1,
      });
      if (result.dx) dy = result.dx;
    }
  }

  /** Phase 2: the gradient of every parameter this replica owns, then their update. */
  private reduceAndUpdate(view: ReplicaStep, iteration: number): void {
    const { model, plan, memory, optimizer, index } = this.setup;
    for (const part of plan.owned[index]!) {
      const planned = plan.weights[part.index]!;
      const layer = model.layers[planned.layer]!;
      const param = layer.trainableWeights[planned.weight]!.value.data;
      let gradient = this.gradients[part.index];
      if (!gradient) {
        gradient = new Float32Array(planned.size);
        this.gradients[part.index] = gradient;
      }
      if (planned.mode === 'per-example') {
        sumExamples(
          this.sums,
          memory.exampleGradients,
          planned.exampleOffset * this.batchCapacity,
          planned.size,
          view.batchSize,
          gradient,
          part.start,
          part.end,
        );
      } else {
        layer.parameterGradient(planned.weight, part.start, part.end, gradient, view);
      }
      optimizer.updateSlice(
        param.subarray(part.start, part.end),
        gradient.subarray(part.start, part.end),
        memory.slots[part.index]!.map((slot) => slot.subarray(part.start, part.end)),
        iteration,
      );
    }
  }

  private stepView(start: number, count: number, args: StepArguments): ReplicaStep {
    const { memory, plan, rendezvous, replicas } = this.setup;
    const participants = Math.min(replicas, args.count);
    return {
      start,
      count,
      batchSize: args.count,
      iteration: args.iteration,
      exampleGradients: (layer, weight) => {
        const planned = plan.weights[this.planned(layer, weight)]!;
        if (planned.mode !== 'per-example') {
          throw new Error(`layer "${layer.name}": weight ${weight} is not a per-example weight`);
        }
        const at = planned.exampleOffset * this.batchCapacity + start * planned.size;
        return memory.exampleGradients.subarray(at, at + count * planned.size);
      },
      batchBuffer: (layer, key) => this.batchBuffer(layer, key, Float32Array),
      batchSums: (layer, key) => this.batchBuffer(layer, key, Float64Array),
      exampleRng: (layer, example): Rng =>
        createRng(mix(this.seed, args.iteration, this.layerIndex.get(layer) ?? -1, example)),
      barrier: () => rendezvous.collective(participants),
    };
  }

  private planned(layer: Layer, weight: number): number {
    const index = this.plannedIndex.get(`${this.layerIndex.get(layer)}/${weight}`);
    if (index === undefined) {
      throw new Error(`layer "${layer.name}": trainable weight ${weight} is not in the plan`);
    }
    return index;
  }

  private batchBuffer<T extends Float32ArrayConstructor | Float64ArrayConstructor>(
    layer: Layer,
    key: string,
    Kind: T,
  ): InstanceType<T> {
    const buffer = this.setup.memory.batchBuffers[`${this.layerIndex.get(layer)}/${key}`];
    if (!(buffer instanceof Kind)) {
      throw new Error(
        `layer "${layer.name}": no ${Kind.name} whole-batch buffer "${key}" (declare it in replicaBuffers)`,
      );
    }
    return buffer as InstanceType<T>;
  }
}

/** Rows [from, from + count) of the dataset, as views. */
function slice(data: SharedDataset, from: number, count: number): [Tensor<'float32'>, Tensor] {
  const xRow = sizeOf(data.xShape);
  const yRow = sizeOf(data.yShape);
  return [
    new Tensor(
      data.x.subarray(from * xRow, (from + count) * xRow),
      [count, ...data.xShape],
      'float32',
    ),
    new Tensor(
      data.y.subarray(from * yRow, (from + count) * yRow) as TypedArrayFor[typeof data.yDtype],
      [count, ...data.yShape],
      data.yDtype,
    ),
  ];
}

/** Rows order[from … from + count) of the dataset: the examples into `x`, the labels copied. */
function gather(
  data: SharedDataset,
  order: Int32Array,
  from: number,
  count: number,
  x: Float32Array,
): [Tensor<'float32'>, Tensor] {
  const xRow = sizeOf(data.xShape);
  const yRow = sizeOf(data.yShape);
  const Labels = data.y.constructor as new (length: number) => SharedDataset['y'];
  const y = new Labels(count * yRow);
  for (let i = 0; i < count; i++) {
    const example = order[from + i]!;
    x.set(data.x.subarray(example * xRow, (example + 1) * xRow), i * xRow);
    y.set(data.y.subarray(example * yRow, (example + 1) * yRow) as never, i * yRow);
  }
  return [
    new Tensor(x, [count, ...data.xShape], 'float32'),
    new Tensor(y as TypedArrayFor[typeof data.yDtype], [count, ...data.yShape], data.yDtype),
  ];
}

/**
 * out[start … end) = the sum over examples 0 … n-1, in that order and in float64, of elements
 * [start, end) of one weight's per-example gradients (its block at `block`, `size` per example).
 */
function sumExamples(
  scratch: Float64Array,
  gradients: Float32Array,
  block: number,
  size: number,
  n: number,
  out: Float32Array,
  start: number,
  end: number,
): void {
  const sums = scratch.subarray(0, end - start);
  sums.fill(0);
  for (let e = 0; e < n; e++) {
    const base = block + e * size;
    for (let i = start; i < end; i++) sums[i - start]! += gradients[base + i]!;
  }
  out.set(sums, start);
}

/** A 32-bit seed from several integers (splitmix-style mixing), for per-example streams. */
function mix(...values: number[]): number {
  let h = 0x9e3779b9;
  for (const value of values) {
    h = Math.imul(h ^ (value | 0), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}
