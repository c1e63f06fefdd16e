// Measures the WebAssembly backend on one thread, kernel by kernel (not a test: speed is never
// asserted). Calls the Backend methods directly, so the numbers are the kernels' own, without the
// Tensor-level op around them; medians of several runs after a warm-up (V8 tiers the code up).
// Prints GFLOP/s and the load average, since the machine may be shared.
//
//   node --import tsx --conditions=source packages/ops/test/wasm/measure-wasm.ts [filter]

import { loadavg } from 'node:os';
import type { Backend, MatMulGeometry } from '../../src/backend.js';
import { type WindowGeometry, windowGeometry } from '../../src/geometry.js';
import { createWasmBackend } from '../../src/wasm/backend.js';

const backend: Backend = createWasmBackend();
const only = process.argv[2];

function random(size: number, seed: number): Float32Array {
  const data = new Float32Array(size);
  let state = seed;
  for (let i = 0; i < size; i++) {
    state = (state * 1664525 + 1013904223) >>> 0;
    data[i] = state / 2 ** 31 - 1;
  }
  return data;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function time(name: string, flops: number, run: () => void, runs = 9): void {
  if (only && !name.includes(only)) return;
  const warmEnd = performance.now() + Number(process.env.WARM ?? 400);
  while (performance.now() < warmEnd) run();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    run();
    samples.push(performance.now() - start);
  }
  const ms = median(samples);
  console.log(
    `${name.padEnd(52)} ${ms.toFixed(2).padStart(8)} ms ${(flops / ms / 1e6).toFixed(1).padStart(6)} GFLOP/s`,
  );
}

function convGeometry(
  xShape: [number, number, number, number],
  filterShape: [number, number, number, number],
  strides = 1,
): WindowGeometry {
  return windowGeometry({
    op: 'conv2d',
    xShape,
    filterHeight: filterShape[0],
    filterWidth: filterShape[1],
    outChannels: filterShape[3],
    strides,
    dilations: 1,
    padding: 'same',
    windowShape: filterShape,
  });
}

function conv(
  label: string,
  xShape: [number, number, number, number],
  filterShape: [number, number, number, number],
  directions = ['forward', 'input', 'filter'],
): void {
  const g = convGeometry(xShape, filterShape);
  const x = random(
    xShape.reduce((a, b) => a * b),
    1,
  );
  const filter = random(
    filterShape.reduce((a, b) => a * b),
    2,
  );
  const outSize = g.batch * g.outHeight * g.outWidth * g.outChannels;
  const dy = random(outSize, 3);
  const out = new Float32Array(outSize);
  const dx = new Float32Array(x.length);
  const dw = new Float32Array(filter.length);
  const range = { start: 0, end: g.batch };
  const flops =
    2 *
    g.batch *
    g.outHeight *
    g.outWidth *
    g.outChannels *
    filterShape[0] *
    filterShape[1] *
    g.inChannels;
  if (directions.includes('forward'))
    time(`${label} forward`, flops, () => backend.conv2d(x, filter, out, g, range));
  if (directions.includes('input'))
    time(`${label} backprop-input`, flops, () =>
      backend.conv2dBackpropInput(dy, filter, dx, g, range),
    );
  if (directions.includes('filter'))
    time(`${label} backprop-filter`, flops, () =>
      backend.conv2dBackpropFilter(x, dy, dw, g, range),
    );
}

function matMul(m: number, k: number, n: number, transposeA = false, transposeB = false): void {
  const a = random(m * k, 4);
  const b = random(k * n, 5);
  const out = new Float32Array(m * n);
  const g: MatMulGeometry = { m, k, n, transposeA, transposeB };
  const label = `${transposeA ? 'ᵀ' : ''}${transposeB ? 'ᵀ(b)' : ''}`;
  time(`matMul ${m}×${k}·${k}×${n} ${label}`, 2 * m * k * n, () =>
    backend.matMul(a, b, out, g, { start: 0, end: m }),
  );
}

console.log(`backend ${backend.name}, load average ${loadavg()[0]!.toFixed(2)}`);
conv('conv [32,28,28,32]*[3,3,32,64]', [32, 28, 28, 32], [3, 3, 32, 64]);
conv('conv [32,28,28,1]*[3,3,1,32]', [32, 28, 28, 1], [3, 3, 1, 32], ['forward', 'filter']);
conv('conv [32,28,28,1]*[3,3,1,2]', [32, 28, 28, 1], [3, 3, 1, 2], ['forward', 'filter']);
conv('vision [1,3000,4000,1]*[3,3,1,1]', [1, 3000, 4000, 1], [3, 3, 1, 1], ['forward']);
matMul(1024, 1024, 1024);
matMul(32, 12544, 128);
// The dense layer's two gradients: dx = dy·Wᵀ and dW = xᵀ·dy.
matMul(32, 128, 12544, false, true);
matMul(12544, 32, 128, true, false);
matMul(4, 12544, 128);
console.log(`load average ${loadavg()[0]!.toFixed(2)}`);
