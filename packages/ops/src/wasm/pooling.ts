// Max and average pooling, forward and backward, on the WebAssembly kernels (assembly/pooling.ts) for
// the 2x2 / stride 2 / unpadded windows every Keras CNN uses; any other geometry runs the reference
// loops. Work goes in groups of whole batch items copied into wasm memory, as conv does; an item
// too large for the group budget (a 4000×3000 photo) goes in bands of output rows, each with its
// two input rows per output row (and the last band with an odd last input row, which no window
// covers but whose gradient must still be written as zeros).

import type { Range } from '../backend.js';
import type { WindowGeometry } from '../geometry.js';
import { referenceBackend } from '../reference/backend.js';
import { isPool2x2 } from '../reference/pooling-2x2.js';
import { GROUP_FLOATS, itemsPerGroup } from './blocking.js';
import type { KernelExports, KernelInstance } from './instance.js';

/** Whether an array is laid out like the pooling's input (dx, x) or like its output (out, dy). */
type Layout = 'input' | 'output';

interface Operand {
  data: Float32Array;
  layout: Layout;
}

/** Rows of each layout: per batch item, or in a piece. */
type Rows = Record<Layout, number>;

/** A part of the batch range copied in and out at once: a group of whole items, or a band of one. */
interface Piece {
  /** The piece's first row in the whole array, per layout. */
  first: Rows;
  /** Its rows per item, per layout. */
  rows: Rows;
  items: number;
  /** Input rows one kernel call spans (an item, or a band). */
  inRows: number;
}

interface Plan {
  /** Rows of each layout the wasm regions must hold. */
  capacity: Rows;
  pieces: Piece[];
}

function plan(g: WindowGeometry, batch: Range, operands: Operand[]): Plan {
  const perRow: Rows = { input: g.inWidth * g.inChannels, output: g.outWidth * g.inChannels };
  const perItem: Rows = { input: g.inHeight, output: g.outHeight };
  const floatsPerItem = operands.reduce((sum, o) => sum + perItem[o.layout] * perRow[o.layout], 0);
  const pieces: Piece[] = [];
  if (floatsPerItem <= GROUP_FLOATS) {
    const groupItems = itemsPerGroup(floatsPerItem, batch.end - batch.start);
    for (let item = batch.start; item < batch.end; item += groupItems) {
      pieces.push({
        first: { input: item * g.inHeight, output: item * g.outHeight },
        rows: perItem,
        items: Math.min(groupItems, batch.end - item),
        inRows: g.inHeight,
      });
    }
    const capacity = { input: groupItems * g.inHeight, output: groupItems * g.outHeight };
    return { capacity, pieces };
  }
  // Output rows per band: with twice as many input rows (plus a spare one for an odd height) in
  // every input-layout operand, they fit the group budget.
  const inputs = operands.filter((o) => o.layout === 'input').length;
  const outputs = operands.length - inputs;
  const bandRows = Math.max(
    1,
    Math.floor(
      (GROUP_FLOATS - inputs * perRow.input) /
        (2 * inputs * perRow.input + outputs * perRow.output),
    ),
  );
  for (let item = batch.start; item < batch.end; item++) {
    // At least one band, so an item without a whole window still has its gradient zeroed.
    for (let outStart = 0; outStart === 0 || outStart < g.outHeight; outStart += bandRows) {
      const outEnd = Math.min(g.outHeight, outStart + bandRows);
      const inStart = 2 * outStart;
      const inEnd = outEnd === g.outHeight ? g.inHeight : 2 * outEnd;
      pieces.push({
        first: { input: item * g.inHeight + inStart, output: item * g.outHeight + outStart },
        rows: { input: inEnd - inStart, output: outEnd - outStart },
        items: 1,
        inRows: inEnd - inStart,
      });
    }
  }
  return { capacity: { input: 2 * bandRows + 1, output: bandRows }, pieces };
}

/**
 * Runs one kernel over the batch range: `sources` are copied in, `target` is copied out, and
 * `kernel` gets the wasm addresses (sources then target, in that order) of one item or band, and
 * the number of input rows it spans.
 */
function run2x2(
  { kernels, arena }: KernelInstance,
  g: WindowGeometry,
  batch: Range,
  sources: Operand[],
  target: Operand,
  kernel: (kernels: KernelExports, addresses: number[], inRows: number) => void,
): void {
  if (batch.end <= batch.start) return;
  arena.reset();
  const operands = [...sources, target];
  const perRow: Rows = { input: g.inWidth * g.inChannels, output: g.outWidth * g.inChannels };
  const { capacity, pieces } = plan(g, batch, operands);
  const regions = operands.map((o) => arena.allocate(capacity[o.layout] * perRow[o.layout]));
  const floats = (o: Operand, piece: Piece) =>
    piece.items * piece.rows[o.layout] * perRow[o.layout];
  for (const piece of pieces) {
    sources.forEach((source, i) => {
      const start = piece.first[source.layout] * perRow[source.layout];
      arena.write(regions[i]!, source.data.subarray(start, start + floats(source, piece)));
    });
    for (let item = 0; item < piece.items; item++) {
      const addresses = operands.map(
        (o, i) => regions[i]! + 4 * item * piece.rows[o.layout] * perRow[o.layout],
      );
      kernel(kernels, addresses, piece.inRows);
    }
    const start = piece.first[target.layout] * perRow[target.layout];
    target.data.set(arena.read(regions.at(-1)!, floats(target, piece)), start);
  }
}

export function maxPool2dWasm(
  instance: KernelInstance,
  x: Float32Array,
  out: Float32Array,
  g: WindowGeometry,
  batch: Range,
): void {
  if (!isPool2x2(g)) {
    referenceBackend.maxPool2d(x, out, g, batch);
    return;
  }
  const sources: Operand[] = [{ data: x, layout: 'input' }];
  run2x2(instance, g, batch, sources, { data: out, layout: 'output' }, (k, [from, to], inRows) =>
    k.maxPool2x2(from!, to!, inRows, g.inWidth, g.inChannels),
  );
}

export function maxPool2dBackwardWasm(
  instance: KernelInstance,
  dy: Float32Array,
  x: Float32Array,
  dx: Float32Array,
  g: WindowGeometry,
  batch: Range,
): void {
  if (!isPool2x2(g)) {
    referenceBackend.maxPool2dBackward(dy, x, dx, g, batch);
    return;
  }
  const sources: Operand[] = [
    { data: dy, layout: 'output' },
    { data: x, layout: 'input' },
  ];
  run2x2(instance, g, batch, sources, { data: dx, layout: 'input' }, (k, [dyAt, xAt, dxAt], rows) =>
    k.maxPool2x2Backward(dyAt!, xAt!, dxAt!, rows, g.inWidth, g.inChannels),
  );
}

export function avgPool2dWasm(
  instance: KernelInstance,
  x: Float32Array,
  out: Float32Array,
  g: WindowGeometry,
  batch: Range,
): void {
  if (!isPool2x2(g)) {
    referenceBackend.avgPool2d(x, out, g, batch);
    return;
  }
  const sources: Operand[] = [{ data: x, layout: 'input' }];
  run2x2(instance, g, batch, sources, { data: out, layout: 'output' }, (k, [from, to], inRows) =>
    k.avgPool2x2(from!, to!, inRows, g.inWidth, g.inChannels),
  );
}

export function avgPool2dBackwardWasm(
  instance: KernelInstance,
  dy: Float32Array,
  dx: Float32Array,
  g: WindowGeometry,
  batch: Range,
): void {
  if (!isPool2x2(g)) {
    referenceBackend.avgPool2dBackward(dy, dx, g, batch);
    return;
  }
  const sources: Operand[] = [{ data: dy, layout: 'output' }];
  run2x2(instance, g, batch, sources, { data: dx, layout: 'input' }, (k, [dyAt, dxAt], inRows) =>
    k.avgPool2x2Backward(dyAt!, dxAt!, inRows, g.inWidth, g.inChannels),
  );
}
