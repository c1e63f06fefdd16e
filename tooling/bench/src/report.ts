// The benchmark's output: a table on the terminal (median ms, effective and real GFLOP/s, the
// share of the machine's peak, speed relative to tfjs in the same run), then the comparisons the
// run is for — the workers' scaling from 1 worker to all cores, Winograd against the direct kernels,
// calls without `out` against calls with it — and a JSON file.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Algorithm } from './cases.js';

export interface Measurement {
  caseName: string;
  /** 'tfjs-wasm', 'convoy sync, direct', 'convoy workers ×2, winograd, out', … */
  runner: string;
  kind: 'tfjs' | 'sync' | 'workers';
  workers: number;
  algorithm?: Algorithm;
  out: boolean;
  /** The direct algorithm's operations for the case. */
  flops: number;
  medianMs: number;
  minMs: number;
  /** Effective: the direct algorithm's operations ÷ the time, so every row compares as speed. */
  gflops: number;
  /** The operations this runner performs (Winograd's GEMMs) ÷ the time. */
  realGflops: number;
  /** Convoy only: tfjs median ms ÷ this median ms (> 1: Convoy is faster). */
  speedVsTfjs?: number;
  /** Real GFLOP/s ÷ the machine's micro-kernel peak on as many threads, measured in this run. */
  ofPeak?: number;
  samplesMs: number[];
  note?: string;
}

function pad(text: string, width: number, right = false): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

export function printTable(measurements: Measurement[]): void {
  const header = `${pad('case', 44)} ${pad('runner', 32)} ${pad('ms (median)', 12, true)} ${pad('min', 7, true)} ${pad('GFLOP/s eff.', 13, true)} ${pad('real', 7, true)} ${pad('of peak', 8, true)} ${pad('Convoy/tfjs', 12, true)}`;
  console.log(header);
  console.log('-'.repeat(header.length));
  let previousCase = '';
  for (const m of measurements) {
    const caseLabel = m.caseName === previousCase ? '' : m.caseName;
    previousCase = m.caseName;
    const ratio = m.speedVsTfjs === undefined ? '' : `${m.speedVsTfjs.toFixed(2)}×`;
    const ofPeak = m.ofPeak === undefined ? '' : `${Math.round(m.ofPeak * 100)}%`;
    console.log(
      `${pad(caseLabel, 44)} ${pad(m.runner, 32)} ${pad(m.medianMs.toFixed(2), 12, true)} ${pad(m.minMs.toFixed(2), 7, true)} ${pad(m.gflops.toFixed(1), 13, true)} ${pad(m.realGflops.toFixed(1), 7, true)} ${pad(ofPeak, 8, true)} ${pad(ratio, 12, true)}`,
    );
  }
}

type Find = (m: Measurement) => boolean;

/**
 * For each case holding both rows: median(numerator row) ÷ median(denominator row), and the same
 * of the minimums (on a shared machine a call's time is often bimodal — both cores free, or one
 * taken by another process — and the minimums compare the first mode).
 */
function ratios(
  measurements: Measurement[],
  numerator: Find,
  denominator: Find,
): {
  caseName: string;
  ratio: number;
  minRatio: number;
  numerator: Measurement;
  denominator: Measurement;
}[] {
  const result = [];
  for (const caseName of new Set(measurements.map((m) => m.caseName))) {
    const ofCase = measurements.filter((m) => m.caseName === caseName);
    const top = ofCase.find(numerator);
    const bottom = ofCase.find(denominator);
    if (top && bottom) {
      result.push({
        caseName,
        ratio: top.medianMs / bottom.medianMs,
        minRatio: top.minMs / bottom.minMs,
        numerator: top,
        denominator: bottom,
      });
    }
  }
  return result;
}

const isWorkers = (workers: number, out: boolean, algorithm?: Algorithm) => (m: Measurement) =>
  m.kind === 'workers' && m.workers === workers && m.out === out && m.algorithm === algorithm;

/** For each case, how much faster all workers are than one: median(1 worker) ÷ median(N). */
export function scaling(
  measurements: Measurement[],
  allWorkers: number,
): { caseName: string; speedup: number }[] {
  if (allWorkers < 2) return [];
  const found = (workers: number) => (m: Measurement) =>
    m.kind === 'workers' && m.workers === workers && !m.out && m.algorithm !== 'direct';
  return ratios(measurements, found(1), found(allWorkers)).map(({ caseName, ratio }) => ({
    caseName,
    speedup: ratio,
  }));
}

/** Winograd against direct on the widest executor with `out`: median(direct) ÷ median(Winograd). */
export function winogradSpeedup(measurements: Measurement[], workers: number) {
  return ratios(
    measurements,
    isWorkers(workers, true, 'direct'),
    isWorkers(workers, true, 'winograd'),
  );
}

/** A call without `out` against one with it, widest executor: median(without) ÷ median(with). */
export function withoutOutCost(measurements: Measurement[], workers: number) {
  const found = (out: boolean) => (m: Measurement) =>
    m.kind === 'workers' && m.workers === workers && m.out === out && m.algorithm !== 'direct';
  return ratios(measurements, found(false), found(true));
}

export function printComparisons(measurements: Measurement[], allWorkers: number): object {
  const scalings = scaling(measurements, allWorkers);
  if (scalings.length > 0) {
    console.log(`\nScaling, workers ×1 → ×${allWorkers} (median ms ratio):`);
    for (const { caseName, speedup } of scalings)
      console.log(`  ${caseName.padEnd(44)} ${speedup.toFixed(2)}×`);
  }
  const winograd = winogradSpeedup(measurements, allWorkers);
  if (winograd.length > 0) {
    console.log(
      `\nWinograd against the direct kernels, workers ×${allWorkers} with out (target ≥ 1.6×, effective ≥ 140 GFLOP/s):`,
    );
    for (const { caseName, ratio, minRatio, numerator, denominator } of winograd) {
      const minGflops = denominator.flops / denominator.minMs / 1e6;
      console.log(
        `  ${caseName.padEnd(44)} ${ratio.toFixed(2)}× (${numerator.medianMs.toFixed(2)} → ${denominator.medianMs.toFixed(2)} ms; effective ${denominator.gflops.toFixed(0)} GFLOP/s) · minimums ${minRatio.toFixed(2)}×, ${minGflops.toFixed(0)} GFLOP/s`,
      );
    }
  }
  const outCost = withoutOutCost(measurements, allWorkers);
  console.log(`\nWithout out against with out, workers ×${allWorkers} (target: within 15%):`);
  const signed = (ratio: number) => {
    const percent = (ratio - 1) * 100;
    return `${percent >= 0 ? '+' : ''}${percent.toFixed(0)}%`;
  };
  for (const { caseName, ratio, minRatio, numerator, denominator } of outCost) {
    console.log(
      `  ${caseName.padEnd(44)} ${signed(ratio)} (${denominator.medianMs.toFixed(2)} → ${numerator.medianMs.toFixed(2)} ms) · minimums ${signed(minRatio)}`,
    );
  }
  const summary = ({
    caseName,
    ratio,
    minRatio,
  }: {
    caseName: string;
    ratio: number;
    minRatio: number;
  }) => ({ caseName, ratio, minRatio });
  return {
    scaling: scalings,
    winogradSpeedup: winograd.map(summary),
    withoutOutCost: outCost.map(summary),
  };
}

export function writeJson(directory: string, report: object): string {
  mkdirSync(directory, { recursive: true });
  const file = join(directory, `ops-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}
