// The shapes the benchmark runs, each with its floating-point operation count (a multiply-add
// counts 2): the textbook model 1's second conv layer (batch 32, 28×28×32 → 64 filters, 3×3,
// 'same') in all three directions, a square 1024³ matMul, and that model's dense layer
// (32×12544 by 12544×128).

export type CaseKind = 'conv2d' | 'conv2dBackpropInput' | 'conv2dBackpropFilter' | 'matMul';

export interface ConvShape {
  xShape: [number, number, number, number];
  filterShape: [number, number, number, number];
  padding: 'same';
}

export interface BenchCase {
  name: string;
  kind: CaseKind;
  /** The direct algorithm's operations: what "effective GFLOP/s" divides by the time. */
  flops: number;
  conv?: ConvShape;
  matMul?: { m: number; k: number; n: number };
}

const convLayer: ConvShape = {
  xShape: [32, 28, 28, 32],
  filterShape: [3, 3, 32, 64],
  padding: 'same',
};
// 'same' with stride 1 keeps 28×28, so every output pixel is one 288-long dot product per filter.
const convFlops = 2 * 32 * 28 * 28 * 64 * (3 * 3 * 32);

/** How a Convoy runner convolves: the direct kernels or Winograd (conv2d's `algorithm`). */
export type Algorithm = 'direct' | 'winograd';

/**
 * The operations Winograd F(4×4, 3×3) (the WebAssembly backend's tile) performs in its GEMMs for
 * a stride-1 'same' conv: 36 multiply-adds per 4×4 output tile per input and output channel, 4×
 * fewer than the direct algorithm's 9 per output. The transforms are not counted.
 */
export function winogradFlops(conv: ConvShape): number {
  const [batch, height, width, inChannels] = conv.xShape;
  const tiles = Math.ceil(height / 4) * Math.ceil(width / 4);
  return 2 * batch * tiles * 36 * inChannels * conv.filterShape[3];
}

function matMulCase(name: string, m: number, k: number, n: number): BenchCase {
  return { name, kind: 'matMul', flops: 2 * m * k * n, matMul: { m, k, n } };
}

export const benchCases: BenchCase[] = [
  {
    name: 'conv2d forward  x=[32,28,28,32] f=[3,3,32,64] same',
    kind: 'conv2d',
    flops: convFlops,
    conv: convLayer,
  },
  {
    name: 'conv2d backprop-input  (same layer)',
    kind: 'conv2dBackpropInput',
    flops: convFlops,
    conv: convLayer,
  },
  {
    name: 'conv2d backprop-filter (same layer)',
    kind: 'conv2dBackpropFilter',
    flops: convFlops,
    conv: convLayer,
  },
  matMulCase('matMul 1024×1024 · 1024×1024', 1024, 1024, 1024),
  matMulCase('matMul 32×12544 · 12544×128 (dense)', 32, 12544, 128),
];
