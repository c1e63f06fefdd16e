// The training benchmark's table: medians over the repeats, the scaling from one replica to all,
// the busy share of each thread, PyTorch beside it when it ran, and the targets.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ConvoyRun } from './convoy-run.js';
import type { TorchRun } from './torch-run.js';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const percent = (share: number) => `${(share * 100).toFixed(1)}%`;

export function printTrainTable(result: {
  models: number[];
  workers: number;
  convoy: ConvoyRun[];
  torch: TorchRun[];
}): void {
  const { workers, convoy, torch } = result;
  console.log(
    `\nms per training step (batch 32, Adam), medians over the repeats; targets on this machine: model 1 ≤ 1.5× PyTorch, scaling ≥ 1.85 (model 1) / 1.6 (models 2, 3), main thread busy < 10%`,
  );
  const header = `model | Convoy ×1 | Convoy ×${workers} | scaling | main busy | replicas busy | PyTorch ×${workers} | Convoy/PyTorch | PyTorch ×1`;
  console.log(header);
  console.log('-'.repeat(header.length));
  for (const which of result.models) {
    const runs = (count: number) => convoy.filter((r) => r.model === which && r.workers === count);
    const one = median(runs(1).map((r) => r.msPerStep));
    const many = runs(workers);
    const all = many.length > 0 ? median(many.map((r) => r.msPerStep)) : Number.NaN;
    const busyRun = many.length > 0 ? many : runs(1);
    const mainBusy = median(busyRun.map((r) => r.mainBusy));
    const replicaBusy = busyRun[0]!.replicaBusy.map((_, i) =>
      median(busyRun.map((r) => r.replicaBusy[i]!)),
    );
    const torchMany = torch.filter((r) => r.model === which && r.threads === workers);
    const torchOne = torch.filter((r) => r.model === which && r.threads === 1 && workers > 1);
    const peer = torchMany.length > 0 ? median(torchMany.map((r) => r.msPerStep)) : Number.NaN;
    const cells = [
      String(which),
      one.toFixed(2),
      all.toFixed(2),
      `${(one / all).toFixed(2)}×`,
      percent(mainBusy),
      replicaBusy.map(percent).join(' '),
      Number.isNaN(peer) ? '—' : peer.toFixed(2),
      Number.isNaN(peer) ? '—' : `${(all / peer).toFixed(2)}×`,
      torchOne.length > 0 ? median(torchOne.map((r) => r.msPerStep)).toFixed(2) : '—',
    ];
    console.log(cells.join(' | '));
  }
  console.log(
    "\nWhere a replica's step goes (ms, medians): forward+backward | barrier wait | reduce+update",
  );
  for (const which of result.models) {
    for (const count of new Set([1, workers])) {
      const runs = convoy.filter((r) => r.model === which && r.workers === count);
      if (runs.length === 0) continue;
      const phases = runs[0]!.phases.map((_, i) => {
        const pick = (key: 'forwardBackward' | 'barrier' | 'update') =>
          median(runs.map((r) => r.phases[i]![key])).toFixed(2);
        return `#${i} ${pick('forwardBackward')} | ${pick('barrier')} | ${pick('update')}`;
      });
      console.log(`model ${which} ×${count}: ${phases.join('   ')}`);
    }
  }
}

export function writeTrainJson(directory: string, report: object): string {
  mkdirSync(directory, { recursive: true });
  const file = join(directory, `train-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}
