// Entry point of the WebAssembly kernels: everything exported here is what the loader sees.
// Memory layout is owned by the JS side (the stub runtime has no allocator): it places buffers
// above heapBase() and grows memory as needed.

export { adamUpdate } from './adam';
export { biasReluBackward } from './bias-relu';
export { convDirect } from './direct';
export { biasActivate } from './epilogue';
export { gemmPacked } from './gemm';
export { col2imAdd, im2colPacked, im2colTransposedPacked } from './im2col';
export { packA, packB } from './pack';
export { avgPool2x2, avgPool2x2Backward, maxPool2x2, maxPool2x2Backward } from './pooling';
export { setGeometry } from './window';
export {
  winogradFilter,
  winogradInputRows,
  winogradMultiply,
  winogradOutput,
} from './winograd';
export {
  winogradFilterGradient,
  winogradGradientColumns,
  winogradInputColumns,
  winogradMultiplyFilter,
} from './winograd-gradient';

/** First byte free for the JS side's buffers (after the static data). */
export function heapBase(): usize {
  return (__heap_base + 15) & ~15;
}
