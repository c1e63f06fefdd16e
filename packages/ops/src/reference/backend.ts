// The reference backend: the plain-loop kernels behind the `Backend` interface. Always available,
// never fast; it is the default until a faster backend registers, and the oracle forever.
// Pooling takes the straight-line 2x2 loops where they apply (equal to the general loops bit for
// bit, see pooling-2x2.ts), so the reference backend is also a usable JS fallback for training.

import type { Backend } from '../backend.js';
import { adamUpdateReference } from './adam.js';
import { biasAddReluBackwardReference } from './bias-relu.js';
import {
  conv2dBackpropFilterReference,
  conv2dBackpropInputReference,
  conv2dReference,
} from './conv2d.js';
import { globalAvgPool2dBackwardReference, globalAvgPool2dReference } from './global-pooling.js';
import { matMulReference } from './matmul.js';
import {
  avgPool2dBackwardReference,
  avgPool2dReference,
  maxPool2dBackwardReference,
  maxPool2dReference,
} from './pooling.js';
import {
  avgPool2x2,
  avgPool2x2Backward,
  isPool2x2,
  maxPool2x2,
  maxPool2x2Backward,
} from './pooling-2x2.js';

export const referenceBackend: Backend = {
  name: 'reference',
  conv2d: conv2dReference,
  conv2dBackpropInput: conv2dBackpropInputReference,
  conv2dBackpropFilter: conv2dBackpropFilterReference,
  matMul: matMulReference,
  maxPool2d(x, out, g, batch) {
    (isPool2x2(g) ? maxPool2x2 : maxPool2dReference)(x, out, g, batch);
  },
  maxPool2dBackward(dy, x, dx, g, batch) {
    if (!isPool2x2(g)) {
      maxPool2dBackwardReference(dy, x, dx, g, batch);
      return;
    }
    // The 2x2 loop writes only each window's winner (and no pixel of an odd last row or column).
    const imageSize = g.inHeight * g.inWidth * g.inChannels;
    dx.fill(0, batch.start * imageSize, batch.end * imageSize);
    maxPool2x2Backward(dy, x, dx, g, batch);
  },
  avgPool2d(x, out, g, batch) {
    (isPool2x2(g) ? avgPool2x2 : avgPool2dReference)(x, out, g, batch);
  },
  avgPool2dBackward(dy, dx, g, batch) {
    if (!isPool2x2(g)) {
      avgPool2dBackwardReference(dy, dx, g, batch);
      return;
    }
    // The 2x2 loop skips the pixels of an odd last row or column, which no window covers.
    const imageSize = g.inHeight * g.inWidth * g.inChannels;
    dx.fill(0, batch.start * imageSize, batch.end * imageSize);
    avgPool2x2Backward(dy, dx, g, batch);
  },
  globalAvgPool2d: globalAvgPool2dReference,
  globalAvgPool2dBackward: globalAvgPool2dBackwardReference,
  biasAddReluBackward: biasAddReluBackwardReference,
  adamUpdate: adamUpdateReference,
};
