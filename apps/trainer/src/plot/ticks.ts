// "Nice" axis ranges and tick positions (steps of 1, 2 or 5 times a power of ten), so the
// chart's axes read 0.2 0.4 0.6 rather than 0.1873 0.3746.

export interface AxisTicks {
  min: number;
  max: number;
  step: number;
  values: number[];
  /** Decimals needed to print every tick without noise (0.25 -> 2). */
  decimals: number;
}

/** The 1-2-5 step closest to `roughStep` from above. */
export function niceStep(roughStep: number): number {
  if (!(roughStep > 0) || !Number.isFinite(roughStep))
    throw new RangeError(`niceStep: step must be a positive finite number, got ${roughStep}`);
  const power = 10 ** Math.floor(Math.log10(roughStep));
  const fraction = roughStep / power;
  const nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
  return nice * power;
}

/** Ticks covering [low, high] with about `targetCount` intervals; a flat range is widened. */
export function niceTicks(low: number, high: number, targetCount = 5): AxisTicks {
  if (!Number.isFinite(low) || !Number.isFinite(high) || low > high)
    throw new RangeError(`niceTicks: need finite low <= high, got [${low}, ${high}]`);
  let lower = low;
  let upper = high;
  if (upper - lower < 1e-12) {
    const pad = Math.abs(lower) > 1e-12 ? Math.abs(lower) * 0.05 : 0.5;
    lower -= pad;
    upper += pad;
  }
  const step = niceStep((upper - lower) / targetCount);
  const min = Math.floor(lower / step + 1e-9) * step;
  const max = Math.ceil(upper / step - 1e-9) * step;
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  const values: number[] = [];
  for (let index = 0; min + index * step <= max + step * 1e-9; index++)
    values.push(Number((min + index * step).toFixed(decimals)));
  return { min, max, step, values, decimals };
}

/** Integer epoch ticks 1..epochs, thinned to at most `maxTicks`. */
export function epochTicks(epochs: number, maxTicks = 10): number[] {
  const stride = Math.max(1, Math.ceil(epochs / maxTicks));
  const values: number[] = [];
  for (let epoch = 1; epoch <= epochs; epoch += stride) values.push(epoch);
  return values;
}
