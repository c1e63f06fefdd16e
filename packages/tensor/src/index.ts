// @convoy/tensor: the Tensor type and everything that makes tensors.

export { type CreateOptions, fill, ones, tensor, zeros } from './create.js';
export {
  DTYPES,
  type DType,
  dtypeOfArray,
  isDType,
  type TypedArray,
  type TypedArrayFor,
} from './dtype.js';
export { computeFans, type Fans, glorotUniform } from './fans.js';
export { formatTensor } from './format.js';
export {
  createRng,
  type RandomOptions,
  Rng,
  type RngState,
  randomNormal,
  randomUniform,
} from './random.js';
export {
  assertValidShape,
  formatShape,
  type Shape,
  shapesEqual,
  sizeOf,
  stridesOf,
} from './shape.js';
export { type AllocateOptions, allocate, canShareMemory, isShared } from './storage.js';
export { isTensor, type NestedArray, Tensor } from './tensor.js';
