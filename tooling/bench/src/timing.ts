// Timing with warm-up, interleaved. V8 first runs new WebAssembly code unoptimized and tiers it up
// in the background (and each worker thread tiers up on its own), so every runner is first run
// until a warm-up time has passed, and, when it says when it is in its steady state (a worker
// executor's call without `out` once it recycles results), until then too. Then the runners of one case take turns, one run each per
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

/** A call to time, and optionally a test of whether it has reached its steady state. */
export interface Timed {
  run: () => unknown;
  settled?: (() => boolean) | undefined;
}

/** A runner that never settles is measured anyway after this long. */
const MAX_WARMUP_MS = 20_000;

async function warmUp({ run, settled }: Timed, warmupMs: number): Promise<void> {
  const start = performance.now();
  let runs = 0;
  while (
    runs < 2 ||
    performance.now() < start + warmupMs ||
    (settled && !settled() && performance.now() < start + MAX_WARMUP_MS)
  ) {
    await run();
    runs++;
  }
}

/** Times every call, interleaved; returns one Timing per call, in the order given. */
export async function measureInterleaved(
  calls: Timed[],
  options: TimingOptions,
): Promise<Timing[]> {
  for (const call of calls) await warmUp(call, options.warmupMs);
  const samples = calls.map(() => [] as number[]);
  for (let round = 0; round < options.runs; round++) {
    for (let turn = 0; turn < calls.length; turn++) {
      const index = (round + turn) % calls.length;
      const start = performance.now();
      await calls[index]!.run();
      samples[index]!.push(performance.now() - start);
    }
  }
  return samples.map((samplesMs) => {
    const sorted = [...samplesMs].sort((a, b) => a - b);
    return { medianMs: sorted[sorted.length >> 1]!, minMs: sorted[0]!, samplesMs };
  });
}
