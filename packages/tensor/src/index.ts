// @convoy/tensor: the Tensor type and everything that makes tensors.

export { type DType, type TypedArray, type TypedArrayFor, DTYPES, isDType, dtypeOfArray } from './dtype.js';
export {
  type Shape,
  sizeOf,
  formatShape,
  shapesEqual,
  stridesOf,
  assertValidShape,
} from './shape.js';
export { type AllocateOptions, allocate, canShareMemory, isShared } from './storage.js';
export { Tensor, type NestedArray, isTensor } from './tensor.js';
export { tensor, fill, zeros, ones, type CreateOptions } from './create.js';
export { Rng, createRng, randomUniform, randomNormal, type RandomOptions } from './random.js';
export { type Fans, computeFans, glorotUniform } from './fans.js';
export { formatTensor } from './format.js';
