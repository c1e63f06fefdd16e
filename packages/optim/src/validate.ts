// Hyperparameter checks shared by the optimizers, so every bad config fails the same clear way.

export function checkNonNegative(op: string, name: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new RangeError(`${op}: ${name} must be a finite number >= 0, got ${String(value)}`);
  }
  return value;
}

export function checkPositive(op: string, name: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new RangeError(`${op}: ${name} must be a finite number > 0, got ${String(value)}`);
  }
  return value;
}

/** Decay rates (Adam's betas, RMSprop's rho) live in [0, 1): at 1 the average never moves. */
export function checkDecayRate(op: string, name: string, value: number): number {
  if (typeof value !== 'number' || !(value >= 0 && value < 1)) {
    throw new RangeError(`${op}: ${name} must be in [0, 1), got ${String(value)}`);
  }
  return value;
}

/** Momentum follows Keras, which accepts [0, 1]. */
export function checkMomentum(op: string, value: number): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
    throw new RangeError(`${op}: momentum must be in [0, 1], got ${String(value)}`);
  }
  return value;
}

export function checkBoolean(op: string, name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') {
    throw new TypeError(`${op}: ${name} must be true or false, got ${String(value)}`);
  }
  return value;
}
