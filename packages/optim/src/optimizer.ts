// The machinery every optimizer shares: per-parameter slots, the iteration count, the learning
// rate (constant, scheduled, or Keras's legacy `decay`), state save/restore. Each optimizer only
// supplies an UpdateRule: a small elementwise transform of (param, grad, slots).

import { allocate, formatShape, shapesEqual, type Tensor } from '@convoy/tensor';
import { checkLearningRate, type LearningRate } from './schedules.js';
import type { Optimizer, OptimizerConfig, OptimizerState, ParamGradPair } from './types.js';
import { checkNonNegative } from './validate.js';

export interface UpdateRule<Coefficients> {
  /** Keras class name. */
  name: string;
  /** Per-parameter accumulators, each a float32 array the size of the parameter, zero at first. */
  slotNames: readonly string[];
  /** Scalars for this step from the learning rate and the 1-based step number `t`. */
  coefficients(learningRate: number, t: number): Coefficients;
  /** Updates `param` in place. Arithmetic runs in float64 and is stored as float32. */
  apply(
    param: Float32Array,
    grad: Float32Array,
    slots: Float32Array[],
    coefficients: Coefficients,
  ): void;
  /** The optimizer-specific Keras config entries (everything but name, learning_rate, decay). */
  config(): Record<string, number | boolean>;
}

export interface BaseOptions {
  learningRate: LearningRate;
  /** Keras 2's legacy inverse-time decay: lr / (1 + decay * iterations). Default 0. */
  decay?: number;
}

export function makeOptimizer<C>(rule: UpdateRule<C>, options: BaseOptions): Optimizer {
  const op = rule.name;
  const learningRate = checkLearningRate(op, options.learningRate);
  const decay = checkNonNegative(op, 'decay', options.decay ?? 0);

  let iterations = 0;
  // slotSets[i][k] is slot k of the i-th parameter seen; boundTo[i] is that parameter's storage.
  // Keyed by the storage, not the Tensor object, so a reshaped view of the same weights matches.
  let slotSets: Float32Array[][] = [];
  let boundTo: Float32Array[] = [];
  let indexOf = new Map<Float32Array, number>();

  const learningRateAfter = (steps: number): number => {
    const base = typeof learningRate === 'number' ? learningRate : learningRate.at(steps);
    return decay > 0 ? base / (1 + decay * steps) : base;
  };
  const currentLearningRate = (): number => learningRateAfter(iterations);

  const slotsFor = (param: Float32Array, position: number): Float32Array[] => {
    const known = indexOf.get(param);
    if (known !== undefined) return slotSets[known]!;
    const index = boundTo.length;
    let slots = slotSets[index];
    if (slots === undefined) {
      slots = rule.slotNames.map(() => new Float32Array(param.length));
      slotSets.push(slots);
    } else if (slots.some((slot) => slot.length !== param.length)) {
      throw new RangeError(
        `${op}.step: restored state for parameter ${index} has ${slots[0]?.length} elements, ` +
          `but the parameter at position ${position} has ${param.length}; pass parameters in the order they had when the state was saved`,
      );
    }
    boundTo.push(param);
    indexOf.set(param, index);
    return slots;
  };

  const checkPair = (pair: ParamGradPair, position: number): void => {
    const { param, grad } = pair;
    if (param?.dtype !== 'float32' || grad?.dtype !== 'float32') {
      throw new TypeError(
        `${op}.step: pair ${position} needs float32 param and grad tensors, got ${param?.dtype} and ${grad?.dtype}`,
      );
    }
    if (!shapesEqual(param.shape, grad.shape)) {
      throw new RangeError(
        `${op}.step: pair ${position}: grad shape ${formatShape(grad.shape)} does not match param shape ${formatShape(param.shape)}`,
      );
    }
  };

  return {
    name: rule.name,
    learningRate,
    get iterations() {
      return iterations;
    },
    currentLearningRate,

    step(pairs) {
      const seen = new Set<Float32Array>();
      pairs.forEach((pair, position) => {
        checkPair(pair, position);
        if (seen.has(pair.param.data)) {
          throw new RangeError(
            `${op}.step: pair ${position} repeats a parameter already in this step`,
          );
        }
        seen.add(pair.param.data);
      });
      // Every check (slot sizes too) passes before any parameter changes.
      const slotsPerPair = pairs.map((pair, position) => slotsFor(pair.param.data, position));
      const coefficients = rule.coefficients(currentLearningRate(), iterations + 1);
      pairs.forEach((pair, position) => {
        rule.apply(pair.param.data, pair.grad.data, slotsPerPair[position]!, coefficients);
      });
      iterations += 1;
    },

    beginStep(params) {
      const seen = new Set<Float32Array>();
      params.forEach((param, position) => {
        if (param?.dtype !== 'float32') {
          throw new TypeError(
            `${op}.beginStep: parameter ${position} must be a float32 tensor, got ${param?.dtype}`,
          );
        }
        if (seen.has(param.data)) {
          throw new RangeError(
            `${op}.beginStep: parameter ${position} repeats a parameter already in this step`,
          );
        }
        seen.add(param.data);
      });
      // Slots bind here, in the given order, exactly as step() would bind them.
      const slotsPerParam = params.map((param, position) => slotsFor(param.data, position));
      const coefficients = rule.coefficients(currentLearningRate(), iterations + 1);
      const updated = new Array<boolean>(params.length).fill(false);
      let ended = false;
      return {
        update(position, grad) {
          const param = params[position];
          if (ended) throw new Error(`${op}.beginStep: update after end()`);
          if (param === undefined || updated[position]) {
            throw new RangeError(
              `${op}.beginStep: update(${position}) needs a position below ${params.length} not updated yet in this step`,
            );
          }
          checkPair({ param, grad }, position);
          rule.apply(param.data, grad.data, slotsPerParam[position]!, coefficients);
          updated[position] = true;
        },
        end() {
          if (ended) throw new Error(`${op}.beginStep: end() called twice`);
          const missing = updated.flatMap((done, position) => (done ? [] : [position]));
          if (missing.length > 0) {
            throw new Error(
              `${op}.beginStep: end() before parameters [${missing.join(', ')}] were updated`,
            );
          }
          ended = true;
          iterations += 1;
        },
      };
    },

    slotNames: rule.slotNames,

    bindSlots(params: readonly Tensor<'float32'>[], options = {}): Float32Array[][] {
      const toShared = (options as { shared?: boolean }).shared ?? false;
      return params.map((param, position) => {
        if (param?.dtype !== 'float32') {
          throw new TypeError(
            `${op}.bindSlots: parameter ${position} must be a float32 tensor, got ${param?.dtype}`,
          );
        }
        const slots = slotsFor(param.data, position);
        slots.forEach((slot, k) => {
          if (!toShared || slot.buffer instanceof SharedArrayBuffer) return;
          const moved = allocate('float32', slot.length, { shared: true });
          moved.set(slot);
          slots[k] = moved;
        });
        return [...slots];
      });
    },

    updateSlice(param, grad, slots, steps) {
      if (!Number.isSafeInteger(steps) || steps < 0) {
        throw new RangeError(
          `${op}.updateSlice: iterations must be a non-negative integer, got ${steps}`,
        );
      }
      if (grad.length !== param.length || slots.some((slot) => slot.length !== param.length)) {
        throw new RangeError(
          `${op}.updateSlice: param (${param.length}), grad (${grad.length}) and slots (${slots
            .map((slot) => slot.length)
            .join(', ')}) must have the same length`,
        );
      }
      if (slots.length !== rule.slotNames.length) {
        throw new RangeError(
          `${op}.updateSlice: expected ${rule.slotNames.length} slots (${rule.slotNames.join(', ')}), got ${slots.length}`,
        );
      }
      rule.apply(
        param,
        grad,
        slots as Float32Array[],
        rule.coefficients(learningRateAfter(steps), steps + 1),
      );
    },

    countSteps(steps) {
      if (!Number.isSafeInteger(steps) || steps < 0) {
        throw new RangeError(
          `${op}.countSteps: steps must be a non-negative integer, got ${steps}`,
        );
      }
      iterations += steps;
    },

    getConfig(): OptimizerConfig {
      return {
        name: rule.name,
        learning_rate: typeof learningRate === 'number' ? learningRate : learningRate.getConfig(),
        decay,
        ...rule.config(),
      };
    },

    getState(): OptimizerState {
      const slots: Record<string, Float32Array[]> = {};
      rule.slotNames.forEach((slotName, k) => {
        slots[slotName] = slotSets.map((set) => set[k]!.slice());
      });
      return { iterations, slots };
    },

    setState(state) {
      if (!Number.isSafeInteger(state?.iterations) || state.iterations < 0) {
        throw new RangeError(
          `${op}.setState: iterations must be a non-negative integer, got ${state?.iterations}`,
        );
      }
      const names = Object.keys(state.slots ?? {}).sort();
      const expected = [...rule.slotNames].sort();
      if (names.join() !== expected.join()) {
        throw new RangeError(
          `${op}.setState: expected slots [${expected.join(', ')}], got [${names.join(', ')}]`,
        );
      }
      const counts = rule.slotNames.map((slotName) => state.slots[slotName]!.length);
      if (counts.some((count) => count !== counts[0])) {
        throw new RangeError(
          `${op}.setState: every slot needs one array per parameter, got counts [${counts.join(', ')}]`,
        );
      }
      const paramCount = counts[0] ?? 0;
      const restored: Float32Array[][] = [];
      for (let i = 0; i < paramCount; i++) {
        restored.push(
          rule.slotNames.map((slotName) => {
            const values = state.slots[slotName]![i]!;
            if (!(values instanceof Float32Array)) {
              throw new TypeError(`${op}.setState: slot ${slotName}[${i}] must be a Float32Array`);
            }
            return values.slice();
          }),
        );
      }
      iterations = state.iterations;
      slotSets = restored;
      boundTo = [];
      indexOf = new Map();
    },
  };
}
