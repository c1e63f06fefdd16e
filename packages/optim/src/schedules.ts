// Learning-rate schedules: the learning rate as a function of the step count, following
// tf.keras.optimizers.schedules (ExponentialDecay, InverseTimeDecay, PiecewiseConstantDecay).

import { checkPositive } from './validate.js';

/** Keras's serialized form: `{ class_name, config }`, so saved configs read like Keras's. */
export interface SerializedSchedule {
  class_name: string;
  config: Record<string, number | boolean | number[]>;
}

export interface LearningRateSchedule {
  /** The learning rate at `step` (the optimizer passes its iteration count before the update). */
  at(step: number): number;
  getConfig(): SerializedSchedule;
}

export type LearningRate = number | LearningRateSchedule;

export interface ExponentialDecayOptions {
  initialLearningRate: number;
  decaySteps: number;
  decayRate: number;
  /** Decay in whole intervals of `decaySteps` rather than smoothly. */
  staircase?: boolean;
}

/** lr(step) = initialLearningRate * decayRate ^ (step / decaySteps). */
export function exponentialDecay(options: ExponentialDecayOptions): LearningRateSchedule {
  const op = 'exponentialDecay';
  const { initialLearningRate, decaySteps, decayRate, staircase = false } = options;
  checkPositive(op, 'initialLearningRate', initialLearningRate);
  checkPositive(op, 'decaySteps', decaySteps);
  checkPositive(op, 'decayRate', decayRate);
  return {
    at(step) {
      const progress = staircase ? Math.floor(step / decaySteps) : step / decaySteps;
      return initialLearningRate * decayRate ** progress;
    },
    getConfig: () => ({
      class_name: 'ExponentialDecay',
      config: {
        initial_learning_rate: initialLearningRate,
        decay_steps: decaySteps,
        decay_rate: decayRate,
        staircase,
      },
    }),
  };
}

export interface InverseTimeDecayOptions {
  initialLearningRate: number;
  decaySteps: number;
  decayRate: number;
  staircase?: boolean;
}

/** lr(step) = initialLearningRate / (1 + decayRate * step / decaySteps). */
export function inverseTimeDecay(options: InverseTimeDecayOptions): LearningRateSchedule {
  const op = 'inverseTimeDecay';
  const { initialLearningRate, decaySteps, decayRate, staircase = false } = options;
  checkPositive(op, 'initialLearningRate', initialLearningRate);
  checkPositive(op, 'decaySteps', decaySteps);
  if (!(decayRate >= 0)) throw new RangeError(`${op}: decayRate must be >= 0, got ${decayRate}`);
  return {
    at(step) {
      const progress = staircase ? Math.floor(step / decaySteps) : step / decaySteps;
      return initialLearningRate / (1 + decayRate * progress);
    },
    getConfig: () => ({
      class_name: 'InverseTimeDecay',
      config: {
        initial_learning_rate: initialLearningRate,
        decay_steps: decaySteps,
        decay_rate: decayRate,
        staircase,
      },
    }),
  };
}

/**
 * values[0] while step <= boundaries[0], values[1] while step <= boundaries[1], …, and the last
 * value after the last boundary (Keras's PiecewiseConstantDecay).
 */
export function piecewiseConstantDecay(
  boundaries: number[],
  values: number[],
): LearningRateSchedule {
  const op = 'piecewiseConstantDecay';
  if (values.length !== boundaries.length + 1) {
    throw new RangeError(
      `${op}: needs one more value than boundaries, got ${boundaries.length} boundaries and ${values.length} values`,
    );
  }
  for (let i = 1; i < boundaries.length; i++) {
    if (!(boundaries[i]! > boundaries[i - 1]!)) {
      throw new RangeError(`${op}: boundaries must increase, got [${boundaries.join(', ')}]`);
    }
  }
  values.forEach((value, i) => {
    checkPositive(op, `values[${i}]`, value);
  });
  return {
    at(step) {
      const index = boundaries.findIndex((boundary) => step <= boundary);
      return values[index === -1 ? values.length - 1 : index]!;
    },
    getConfig: () => ({
      class_name: 'PiecewiseConstantDecay',
      config: { boundaries: [...boundaries], values: [...values] },
    }),
  };
}

/** Rebuilds a schedule from `getConfig()` output. */
export function deserializeSchedule(serialized: SerializedSchedule): LearningRateSchedule {
  const shaped = serialized as Partial<SerializedSchedule> | null;
  if (
    shaped === null ||
    typeof shaped !== 'object' ||
    typeof shaped.class_name !== 'string' ||
    shaped.config === null ||
    typeof shaped.config !== 'object'
  ) {
    throw new TypeError(
      `deserializeSchedule: a learning rate must be a number or a schedule { class_name, config }, got ${JSON.stringify(serialized)?.slice(0, 80)}`,
    );
  }
  const config = serialized.config;
  const num = (key: string): number => {
    const value = config[key];
    if (typeof value !== 'number') {
      throw new TypeError(
        `deserializeSchedule: ${serialized.class_name}.${key} must be a number, got ${String(value)}`,
      );
    }
    return value;
  };
  const staircase = config.staircase === true;
  switch (serialized.class_name) {
    case 'ExponentialDecay':
      return exponentialDecay({
        initialLearningRate: num('initial_learning_rate'),
        decaySteps: num('decay_steps'),
        decayRate: num('decay_rate'),
        staircase,
      });
    case 'InverseTimeDecay':
      return inverseTimeDecay({
        initialLearningRate: num('initial_learning_rate'),
        decaySteps: num('decay_steps'),
        decayRate: num('decay_rate'),
        staircase,
      });
    case 'PiecewiseConstantDecay': {
      const { boundaries, values } = config;
      if (!Array.isArray(boundaries) || !Array.isArray(values)) {
        throw new TypeError(
          'deserializeSchedule: PiecewiseConstantDecay needs boundaries and values arrays',
        );
      }
      return piecewiseConstantDecay(boundaries, values);
    }
    default:
      throw new RangeError(
        `deserializeSchedule: unknown schedule ${serialized.class_name}; expected ExponentialDecay, InverseTimeDecay or PiecewiseConstantDecay`,
      );
  }
}

/** Checks a learning rate given as a number or a schedule; returns it unchanged. */
export function checkLearningRate(op: string, learningRate: LearningRate): LearningRate {
  if (typeof learningRate === 'number') {
    if (!Number.isFinite(learningRate) || learningRate < 0) {
      throw new RangeError(`${op}: learningRate must be a finite number >= 0, got ${learningRate}`);
    }
    return learningRate;
  }
  if (
    learningRate === null ||
    typeof learningRate !== 'object' ||
    typeof learningRate.at !== 'function'
  ) {
    throw new TypeError(
      `${op}: learningRate must be a number or a schedule, got ${String(learningRate)}`,
    );
  }
  return learningRate;
}
