// createOptimizer: an optimizer from a Keras string ('adam', 'sgd', 'rmsprop'), a saved config
// (`getConfig()` output, or Keras's `{ class_name, config }`), or an optimizer (returned as is).

import { adam } from './adam.js';
import { rmsprop } from './rmsprop.js';
import { deserializeSchedule, type LearningRate, type SerializedSchedule } from './schedules.js';
import { sgd } from './sgd.js';
import type { Optimizer, OptimizerConfig } from './types.js';

export type OptimizerName = 'adam' | 'sgd' | 'rmsprop';

export type OptimizerIdentifier =
  | OptimizerName
  | Optimizer
  | OptimizerConfig
  | { class_name: string; config?: Partial<OptimizerConfig> };

const KNOWN = 'adam, sgd or rmsprop';

function isOptimizer(value: unknown): value is Optimizer {
  return (
    typeof value === 'object' && value !== null && typeof (value as Optimizer).step === 'function'
  );
}

export function createOptimizer(identifier: OptimizerIdentifier): Optimizer {
  if (isOptimizer(identifier)) return identifier;
  if (typeof identifier === 'string') return fromConfig(identifier, {});
  if (typeof identifier !== 'object' || identifier === null) {
    throw new TypeError(
      `createOptimizer: expected ${KNOWN}, a config or an optimizer, got ${String(identifier)}`,
    );
  }
  if (typeof identifier.class_name === 'string') {
    const keras = identifier as { class_name: string; config?: Partial<OptimizerConfig> };
    return fromConfig(keras.class_name, keras.config ?? {});
  }
  const config = identifier as OptimizerConfig;
  return fromConfig(String(config.name), config);
}

function fromConfig(name: string, config: Partial<OptimizerConfig>): Optimizer {
  const number = (key: string): number | undefined => {
    const value = config[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'number') {
      throw new TypeError(
        `createOptimizer: ${name} config ${key} must be a number, got ${String(value)}`,
      );
    }
    return value;
  };
  const flag = (key: string): boolean | undefined => {
    const value = config[key];
    if (value !== undefined && typeof value !== 'boolean') {
      throw new TypeError(
        `createOptimizer: ${name} config ${key} must be true or false, got ${String(value)}`,
      );
    }
    return value;
  };
  const rawRate = config.learning_rate ?? config.lr;
  const learningRate: LearningRate | undefined =
    rawRate === undefined || typeof rawRate === 'number'
      ? (rawRate as number | undefined)
      : deserializeSchedule(rawRate as SerializedSchedule);
  const decay = number('decay');
  switch (String(name).toLowerCase()) {
    case 'adam':
      return adam({
        learningRate,
        beta1: number('beta_1'),
        beta2: number('beta_2'),
        epsilon: number('epsilon'),
        amsgrad: flag('amsgrad'),
        decay,
      });
    case 'sgd':
      return sgd({ learningRate, momentum: number('momentum'), nesterov: flag('nesterov'), decay });
    case 'rmsprop':
      return rmsprop({
        learningRate,
        rho: number('rho'),
        momentum: number('momentum'),
        epsilon: number('epsilon'),
        centered: flag('centered'),
        decay,
      });
    default:
      throw new RangeError(`createOptimizer: unknown optimizer ${String(name)}; expected ${KNOWN}`);
  }
}
