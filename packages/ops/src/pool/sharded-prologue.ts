// A convolution gradient's prologue (backend.ts GradientPrologue) as the pool hands it to its
// shards. The ReLU's output is read by every shard, so it goes onto shared memory once; the bias
// sums are a reduction, so each shard adds into a zeroed float64 partial of its own and the
// caller adds the partials up in shard order — the same way the filter gradient's per-shard
// outputs are added, so neither depends on which worker finished first.

import type { GradientPrologue } from '../backend.js';

/**
 * `forShard(i)`: shard i's prologue (undefined: the whole call, inline, gets the call's own);
 * `alsoReads`: the arrays the kernels read besides their inputs; `sumBias()`, once the shards
 * are done: the call's bias sums (undefined without them).
 */
export function shardedPrologue(
  prologue: GradientPrologue | undefined,
  share: (data: Float32Array) => Float32Array,
): {
  forShard: (shard: number | undefined) => GradientPrologue | undefined;
  alsoReads: Float32Array[];
  sumBias(): Float64Array | undefined;
} {
  const partials: Float64Array[] = [];
  let y: Float32Array | undefined;
  const forShard = (shard: number | undefined): GradientPrologue | undefined => {
    if (!prologue || shard === undefined) return prologue;
    y ??= prologue.y && share(prologue.y);
    const channels = prologue.biasSums?.length ?? 0;
    const biasSums = prologue.biasSums && new Float64Array(new SharedArrayBuffer(8 * channels));
    if (biasSums) partials[shard] = biasSums;
    return { y, biasSums };
  };
  return {
    forShard,
    alsoReads: prologue?.y ? [prologue.y] : [],
    sumBias() {
      const sums = prologue?.biasSums;
      for (const partial of partials) {
        for (let c = 0; c < partial.length; c++) sums![c]! += partial[c]!;
      }
      return sums;
    },
  };
}
