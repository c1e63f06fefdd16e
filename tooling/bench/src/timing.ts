// Timing with warm-up, interleaved. V8 first runs new WebAssembly code unoptimized and tiers it up
// in the background (and each worker thread tiers up on its own), so every runner is first run
// until a warm-up time has passed. Then the runners of one case take turns, one run each per
// round, in a rotating order: when other processes load the machine, the load falls on all of
// them alike, so the ratios between them (medians of the same rounds) stay meaningful.

export interface TimingOptions {
  /** Minimum warm-up time per runner before measuring, ms. */
  warmupMs: number;
  /** Rounds (runs per runner) to take the median of. */
  runs: number;
}

export interface Timing {
  medianMs: number;
  minMs: number;
  samplesMs: number[];
}

async function warmUp(call: () => unknown, warmupMs: number): Promise<void> {
  const end = performance.now() + warmupMs;
  let runs = 0;
  while (runs < 2 || performance.now() < end) {
    await call();
    runs++;
  }
}

/** Times every call, interleaved; returns one Timing per call, in the order given. */
export async function measureInterleaved(
  calls: (() => unknown)[],
  options: TimingOptions,
): Promise<Timing[]> {
  for (const call of calls) await warmUp(call, options.warmupMs);
  const samples = calls.map(() => [] as number[]);
  for (let round = 0; round < options.runs; round++) {
    for (let turn = 0; turn < calls.length; turn++) {
      const index = (round + turn) % calls.length;
      const start = performance.now();
      await calls[index]!();
      samples[index]!.push(performance.now() - start);
    }
  }
  return samples.map((samplesMs) => {
    const sorted = [...samplesMs].sort((a, b) => a - b);
    return { medianMs: sorted[sorted.length >> 1]!, minMs: sorted[0]!, samplesMs };
  });
}
