// A small, separable image task for training tests: 8x8 grayscale images showing a vertical bar,
// a horizontal bar or a diagonal, at a random position, under seeded noise.

import { createRng, Tensor } from '@convoy/tensor';

export const TOY_SIZE = 8;
export const TOY_CLASSES = 3;

export function toyImages(
  count: number,
  seed: number,
): { x: Tensor<'float32'>; y: Tensor<'int32'> } {
  const rng = createRng(seed);
  const size = TOY_SIZE;
  const x = new Float32Array(count * size * size);
  const y = new Int32Array(count);
  for (let n = 0; n < count; n++) {
    const label = n % TOY_CLASSES;
    const offset = rng.int(size - 2) + 1;
    y[n] = label;
    for (let r = 0; r < size; r++) {
      for (let c = 0; c < size; c++) {
        const on =
          label === 0 ? c === offset : label === 1 ? r === offset : (r + offset) % size === c;
        x[n * size * size + r * size + c] = (on ? 0.9 : 0.1) + 0.2 * (rng.next() - 0.5);
      }
    }
  }
  return {
    x: new Tensor(x, [count, size, size, 1], 'float32'),
    y: new Tensor(y, [count], 'int32'),
  };
}
