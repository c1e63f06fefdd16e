// How a call is split across workers: the inline threshold and the even split of a kernel's items
// (batch items, rows, columns, elements) into shards. Pure arithmetic, shared by the Node and the
// browser executors.

import type { Range } from '../backend.js';

/**
 * Calls below this many floating-point operations run inline on the calling thread; calls above it
 * are split across the workers.
 *
 * Why this number: splitting a call of F operations in two saves F / 2R (R: one core's speed) and
 * costs the fixed price c of a sharded call (post the tasks, wake the workers, each worker's
 * kernel set-up, wait for the slowest reply), so it pays from F = 2cR. The bare round trip is ~25
 * µs on an idle machine. Measured with test/executor/measure-executor.ts on 2 shared
 * cores, at moments when two raw threads did reach 1.9–2.0x: a task round trip of 65–80 µs; a
 * tiny two-shard convolution 0.22–0.32 ms against 0.08–0.13 ms inline (c ≈ 0.2 ms); R ≈ 25–34
 * GFLOP/s for the WebAssembly kernels; two workers even with inline from 5 to 12 MFLOP and ahead
 * at 21 MFLOP (0.64 against 0.84 ms). 8 MFLOP sits in the even zone: below it inline wins, above it
 * the split wins or ties, and with an idle machine's smaller c it wins earlier still. (The
 * reference loops, at 1–3 GFLOP/s, are far past break-even at this size.)
 */
export const INLINE_FLOP_THRESHOLD = 8_000_000;

/**
 * How many shards a call of `flops` operations over `items` batch items (or rows) gets, 0 meaning
 * "run inline on the calling thread": inline below `inlineBelowFlops`, otherwise one shard per
 * worker but never more shards than items. A one-worker executor (or a batch of one) still sends work
 * above the threshold to a worker, which keeps the calling thread (a page's UI, say) free.
 */
export function shardCount(
  flops: number,
  items: number,
  workers: number,
  inlineBelowFlops: number,
): number {
  if (items < 1 || workers < 1 || flops < inlineBelowFlops) return 0;
  return Math.min(workers, items);
}

/**
 * Splits [0, total) into `parts` contiguous ranges whose sizes differ by at most one (the first
 * ranges take the remainder), e.g. 3 items over 2 parts -> [0, 2), [2, 3).
 */
export function splitRange(total: number, parts: number): Range[] {
  const count = Math.max(1, Math.min(parts, total));
  const base = Math.floor(total / count);
  const extra = total % count;
  const ranges: Range[] = [];
  let start = 0;
  for (let i = 0; i < count; i++) {
    const end = start + base + (i < extra ? 1 : 0);
    ranges.push({ start, end });
    start = end;
  }
  return ranges;
}
