// Shared test helpers: seeded random images.
import { createRng } from '@convoy/tensor';
import type { Channels, Image } from '../src/index.js';

export function randomImage(
  width: number,
  height: number,
  channels: Channels,
  seed: number,
  maxValue = 255,
): Image<Uint8Array | Uint16Array> {
  const rng = createRng(seed);
  const size = width * height * channels;
  const data = maxValue > 255 ? new Uint16Array(size) : new Uint8Array(size);
  for (let i = 0; i < size; i++) data[i] = rng.int(maxValue + 1);
  return { width, height, channels, data };
}
