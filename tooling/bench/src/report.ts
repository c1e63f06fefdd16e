// The benchmark's output: a table on the terminal (median ms, GFLOP/s, speed relative to tfjs in
// the same run, and how the pool scales from 1 worker to all cores) and a JSON file.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Measurement {
  caseName: string;
  /** 'tfjs-wasm', 'convoy sync', 'convoy pool ×1', … */
  runner: string;
  workers: number;
  flops: number;
  medianMs: number;
  minMs: number;
  gflops: number;
  /** Convoy only: tfjs median ms ÷ this median ms (> 1: Convoy is faster). */
  speedVsTfjs?: number;
  /** GFLOP/s ÷ the machine's micro-kernel peak on as many threads, measured in this run. */
  ofPeak?: number;
  samplesMs: number[];
  note?: string;
}

function pad(text: string, width: number, right = false): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

export function printTable(measurements: Measurement[]): void {
  const header = `${pad('case', 44)} ${pad('runner', 24)} ${pad('ms (median)', 12, true)} ${pad('GFLOP/s', 9, true)} ${pad('of peak', 8, true)} ${pad('Convoy/tfjs', 12, true)}`;
  console.log(header);
  console.log('-'.repeat(header.length));
  let previousCase = '';
  for (const m of measurements) {
    const caseLabel = m.caseName === previousCase ? '' : m.caseName;
    previousCase = m.caseName;
    const ratio = m.speedVsTfjs === undefined ? '' : `${m.speedVsTfjs.toFixed(2)}×`;
    const ofPeak = m.ofPeak === undefined ? '' : `${Math.round(m.ofPeak * 100)}%`;
    console.log(
      `${pad(caseLabel, 44)} ${pad(m.runner, 24)} ${pad(m.medianMs.toFixed(2), 12, true)} ${pad(m.gflops.toFixed(1), 9, true)} ${pad(ofPeak, 8, true)} ${pad(ratio, 12, true)}`,
    );
  }
}

/** For each case, how much faster all workers are than one: median(1 worker) ÷ median(N). */
export function scaling(
  measurements: Measurement[],
  allWorkers: number,
): { caseName: string; speedup: number }[] {
  const result: { caseName: string; speedup: number }[] = [];
  for (const caseName of new Set(measurements.map((m) => m.caseName))) {
    const one = measurements.find((m) => m.caseName === caseName && m.runner === 'convoy pool ×1');
    const all = measurements.find(
      (m) => m.caseName === caseName && m.runner === `convoy pool ×${allWorkers}`,
    );
    if (one && all && allWorkers > 1)
      result.push({ caseName, speedup: one.medianMs / all.medianMs });
  }
  return result;
}

export function writeJson(directory: string, report: object): string {
  mkdirSync(directory, { recursive: true });
  const file = join(directory, `ops-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}
