// Measures conv2d forward's two WebAssembly kernels, direct and im2col + GEMM, on the same shapes
// (not a test: speed is never asserted). Runs them in turns and prints medians, so load from other
// processes falls on both alike; this is how the direct kernel's channel limits were chosen.
//
//   node --import tsx --conditions=source packages/ops/test/wasm/measure-direct.ts
//   ONLY=3000 node ... (shapes whose "xShape|filterShape" contains the text)
import { windowGeometry } from '../../src/geometry.js';
import { conv2dGemmWasm } from '../../src/wasm/conv2d.js';
import { conv2dDirectWasm } from '../../src/wasm/conv2d-direct.js';
import { wasmFeatures } from '../../src/wasm/features.js';
import { instantiateKernels } from '../../src/wasm/instance.js';

wasmFeatures();
const inst = instantiateKernels((process.env.V ?? 'relaxed-simd') as 'simd');
function run(
  xShape: [number, number, number, number],
  f: [number, number, number, number],
  n = 30,
) {
  const g = windowGeometry({
    op: 'conv2d',
    xShape,
    filterHeight: f[0],
    filterWidth: f[1],
    outChannels: f[3],
    strides: 1,
    dilations: 1,
    padding: 'same',
    windowShape: f,
  });
  const x = new Float32Array(xShape.reduce((a, b) => a * b)).map(() => Math.random());
  const w = new Float32Array(f.reduce((a, b) => a * b)).map(() => Math.random());
  const out = new Float32Array(g.batch * g.outHeight * g.outWidth * g.outChannels);
  const flops = 2 * out.length * f[0] * f[1] * f[2];
  const times = { direct: [] as number[], gemm: [] as number[] };
  const range = { start: 0, end: g.batch };
  for (let i = 0; i < n; i++) {
    for (const [name, fn] of [
      ['direct', conv2dDirectWasm],
      ['gemm', conv2dGemmWasm],
    ] as const) {
      if (name === 'direct' && f[3] > 3) continue;
      const t = performance.now();
      fn(inst, x, w, out, g, range);
      times[name].push(performance.now() - t);
    }
  }
  const med = (a: number[]) => (a.length ? a.sort((p, q) => p - q)[a.length >> 1]! : Number.NaN);
  console.log(
    `x=[${xShape}] f=[${f}]  direct ${(flops / med(times.direct) / 1e6).toFixed(2)}  gemm ${(flops / med(times.gemm) / 1e6).toFixed(2)} GFLOP/s (median ms ${med(times.direct).toFixed(2)} / ${med(times.gemm).toFixed(2)})`,
  );
}
const only = process.env.ONLY;
const shapes: [[number, number, number, number], [number, number, number, number], number][] = [
  [[1, 300, 400, 1], [3, 3, 1, 1], 100],
  [[32, 28, 28, 1], [3, 3, 1, 2], 100],
  [[32, 28, 28, 1], [3, 3, 1, 32], 100],
  [[32, 28, 28, 32], [3, 3, 32, 1], 30],
  [[32, 28, 28, 8], [3, 3, 8, 32], 30],
  [[32, 28, 28, 16], [3, 3, 16, 32], 30],
  [[32, 28, 28, 32], [3, 3, 32, 64], 40],
  [[32, 28, 28, 64], [3, 3, 64, 32], 40],
  [[1, 3000, 4000, 1], [3, 3, 1, 1], 7],
];
for (const [xs, fs, n] of shapes) if (!only || `${xs}|${fs}`.includes(only)) run(xs, fs, n);
