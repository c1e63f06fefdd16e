// Optimizer state to and from JSON-safe values. float32 numbers survive the trip exactly: each is
// a float64 whose shortest decimal form parses back to the same float64.

import type { OptimizerState } from './types.js';

export interface OptimizerStateJson {
  iterations: number;
  slots: Record<string, number[][]>;
}

export function stateToJson(state: OptimizerState): OptimizerStateJson {
  const slots: Record<string, number[][]> = {};
  for (const [name, arrays] of Object.entries(state.slots))
    slots[name] = arrays.map((a) => Array.from(a));
  return { iterations: state.iterations, slots };
}

export function stateFromJson(json: OptimizerStateJson): OptimizerState {
  const slots: Record<string, Float32Array[]> = {};
  for (const [name, arrays] of Object.entries(json.slots ?? {})) {
    if (!Array.isArray(arrays))
      throw new TypeError(`stateFromJson: slot ${name} must be an array of arrays`);
    slots[name] = arrays.map((a) => Float32Array.from(a));
  }
  return { iterations: json.iterations, slots };
}
