// The backward of relu(x + bias) on the WebAssembly kernel (assembly/bias-relu.ts), over a range
// of rows: dy and y go into wasm memory a group of rows at a time, dx comes back out, and the
// per-channel float64 sums stay in wasm memory across the groups and come out as they are, like
// the reference's.

import type { ChannelGeometry, Range } from '../backend.js';
import { GROUP_FLOATS } from './blocking.js';
import type { KernelInstance } from './instance.js';

export function biasAddReluBackwardWasm(
  { kernels, arena }: KernelInstance,
  dy: Float32Array,
  y: Float32Array,
  dx: Float32Array,
  biasSums: Float64Array,
  g: ChannelGeometry,
  rows: Range,
): void {
  const { channels } = g;
  arena.reset();
  const sums = arena.allocate(2 * channels);
  arena.zero(sums, 2 * channels);
  // dy, y and dx of a group share the group budget.
  const groupRows = Math.max(1, Math.floor(GROUP_FLOATS / (3 * Math.max(1, channels))));
  const total = Math.max(0, rows.end - rows.start);
  const capacity = Math.min(groupRows, total) * channels;
  const dyRegion = arena.allocate(capacity);
  const yRegion = arena.allocate(capacity);
  const dxRegion = arena.allocate(capacity);
  for (let row = rows.start; row < rows.end; row += groupRows) {
    const count = Math.min(groupRows, rows.end - row);
    const start = row * channels;
    const end = start + count * channels;
    arena.write(dyRegion, dy.subarray(start, end));
    arena.write(yRegion, y.subarray(start, end));
    kernels.biasReluBackward(dyRegion, yRegion, dxRegion, sums, count, channels);
    dx.set(arena.read(dxRegion, count * channels), start);
  }
  biasSums.set(arena.readDoubles(sums, channels));
}
