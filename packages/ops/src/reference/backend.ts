// The reference backend: the plain-loop kernels behind the `Backend` interface. Always available,
// never fast; it is the default until a faster backend registers, and the oracle forever.

import type { Backend } from '../backend.js';
import {
  conv2dBackpropFilterReference,
  conv2dBackpropInputReference,
  conv2dReference,
} from './conv2d.js';
import { matMulReference } from './matmul.js';

export const referenceBackend: Backend = {
  name: 'reference',
  conv2d: conv2dReference,
  conv2dBackpropInput: conv2dBackpropInputReference,
  conv2dBackpropFilter: conv2dBackpropFilterReference,
  matMul: matMulReference,
};
