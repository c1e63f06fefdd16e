// The explainer's pooling, multi-filter and multi-channel lessons must end at the chapter's numbers:
// the bundled inputs are the fixture's, and both the hand steps and the @convoy/ops answer equal
// the fixture's outputs (fixtures/textbook-examples.json, recomputed with the chapter's code).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { walkMaxPool } from '../src/explainer/pool-steps.js';
import {
  channelOf,
  ONE_FILTER_TWO_CHANNELS_BANK,
  PADDED_TWO_CHANNELS_BANK,
  PADDED_TWO_CHANNELS_IMAGE,
  POOLING_INPUT,
  THREE_CHANNELS_BANK,
  THREE_CHANNELS_IMAGE,
  TWO_CHANNELS_BANK,
  TWO_CHANNELS_IMAGE,
  TWO_FILTERS_BANK,
  TWO_FILTERS_IMAGE,
  type Volume,
} from '../src/explainer/textbook-example.js';
import { walkVolumeConvolution } from '../src/explainer/volume-steps.js';

interface VolumeExample {
  image: Volume;
  filter: number[][][][] | number[][][];
  output: Volume;
  maxpool_output?: Volume;
}
const fixture = JSON.parse(
  readFileSync(
    new URL('../../../packages/ops/test/fixtures/textbook-examples.json', import.meta.url),
    'utf8',
  ),
) as { examples: Record<string, VolumeExample & { input: number[][] }> };
const example = (id: string) => fixture.examples[id]!;
/** The fixture's HWC output as one matrix per channel, as the explainer shows it. */
const channels = (volume: Volume) => volume[0]![0]!.map((_, c) => channelOf(volume, c));
const lastPartial = <T>(steps: readonly { partialOutput: T }[]) => steps.at(-1)!.partialOutput;

describe('the bundled examples are the chapter’s', () => {
  it.each([
    ['516_1', TWO_FILTERS_IMAGE, TWO_FILTERS_BANK],
    ['518_1', TWO_CHANNELS_IMAGE, TWO_CHANNELS_BANK],
    ['519_1', PADDED_TWO_CHANNELS_IMAGE, ONE_FILTER_TWO_CHANNELS_BANK],
    ['5110_1', PADDED_TWO_CHANNELS_IMAGE, PADDED_TWO_CHANNELS_BANK],
    ['5111_1', THREE_CHANNELS_IMAGE, THREE_CHANNELS_BANK],
  ])('%s: image and filters', (id, image, bank) => {
    expect(image).toEqual(example(id).image);
    expect(bank).toEqual(example(id).filter);
  });

  it('515_1 pools the 514_1 convolution', () => {
    expect(POOLING_INPUT).toEqual(example('515_1').input);
    expect(example('514_1').output).toEqual(POOLING_INPUT);
  });
});

describe('walkMaxPool (515_1)', () => {
  const walk = walkMaxPool([POOLING_INPUT], { size: 2, stride: 2 });

  it('four 2×2 windows, stride 2, ending at [[38, 27], [48, 49]] equal to maxPool2d', () => {
    expect(walk.steps.map((s) => [s.top, s.left])).toEqual([
      [0, 0],
      [0, 2],
      [2, 0],
      [2, 2],
    ]);
    expect(walk.steps[0]!.window).toEqual([
      [16, 25],
      [38, 31],
    ]);
    expect(walk.steps.map((s) => s.max)).toEqual([38, 27, 48, 49]);
    expect(walk.result).toEqual([example('515_1').output]);
    expect(lastPartial(walk.steps)).toEqual(walk.result);
  });

  it('rejects windows that do not fit and bad sizes', () => {
    expect(() => walkMaxPool([[[1]]], { size: 2, stride: 2 })).toThrow(
      'a 2×2 pool does not fit a 1×1 input',
    );
    expect(() => walkMaxPool([POOLING_INPUT], { size: 0, stride: 2 })).toThrow(
      'must be positive integers',
    );
  });
});

describe('walkVolumeConvolution', () => {
  it('516_1: two filters make two output depths, then pooling gives the chapter’s 2×2×2', () => {
    const walk = walkVolumeConvolution(TWO_FILTERS_IMAGE, TWO_FILTERS_BANK, {
      stride: 1,
      padding: 1,
    });
    expect(walk.output).toEqual({ height: 4, width: 4, channels: 2 });
    expect(walk.steps).toHaveLength(32);
    // The chapter's loop order: all of filter 0 first, then filter 1.
    expect(walk.steps[16]!.filter).toBe(1);
    expect(walk.result).toEqual(channels(example('516_1').output));
    expect(lastPartial(walk.steps)).toEqual(walk.result);
    const pooled = walkMaxPool(walk.result, { size: 2, stride: 2 });
    expect(pooled.result).toEqual(channels(example('516_1').maxpool_output!));
    expect(pooled.result).toEqual([
      [
        [35, 22],
        [46, 37],
      ],
      [
        [33, 32],
        [39, 21],
      ],
    ]);
    expect(lastPartial(pooled.steps)).toEqual(pooled.result);
  });

  it('518_1: the two depths’ sums, 31 and 33, add up to 64', () => {
    const walk = walkVolumeConvolution(TWO_CHANNELS_IMAGE, TWO_CHANNELS_BANK, {
      stride: 1,
      padding: 0,
    });
    expect(walk.steps).toHaveLength(1);
    const [step] = walk.steps;
    // The chapter's image_x_filter_0 and image_x_filter_1.
    expect(step!.products).toEqual([
      [
        [12, 0, 3],
        [0, 4, 0],
        [4, 0, 8],
      ],
      [
        [8, 1, 0],
        [1, 4, 8],
        [0, 9, 2],
      ],
    ]);
    expect(step!.channelSums).toEqual([31, 33]);
    expect(step!.sum).toBe(64);
    expect(walk.result).toEqual([[[64]]]);
  });

  it.each([
    ['519_1', PADDED_TWO_CHANNELS_IMAGE, ONE_FILTER_TWO_CHANNELS_BANK, 1],
    ['5110_1', PADDED_TWO_CHANNELS_IMAGE, PADDED_TWO_CHANNELS_BANK, 2],
    ['5111_1', THREE_CHANNELS_IMAGE, THREE_CHANNELS_BANK, 2],
  ])('%s: steps and conv2d both end at the chapter’s output', (id, image, bank, count) => {
    const walk = walkVolumeConvolution(image, bank, { stride: 1, padding: 1 });
    expect(walk.kernel.depth).toBe(image[0]![0]!.length);
    expect(walk.output).toEqual({ height: 4, width: 4, channels: count });
    expect(walk.paddedChannels[0]).toHaveLength(6);
    expect(walk.result).toEqual(channels(example(id).output));
    expect(lastPartial(walk.steps)).toEqual(walk.result);
  });

  it('5110_1, first step: each depth’s window times the filter’s depth, summed over depths', () => {
    const [first] = walkVolumeConvolution(PADDED_TWO_CHANNELS_IMAGE, PADDED_TWO_CHANNELS_BANK, {
      stride: 1,
      padding: 1,
    }).steps;
    expect(first!.windows[0]).toEqual([
      [0, 0, 0],
      [0, 3, 0],
      [0, 4, 1],
    ]);
    expect(first!.channelSums.reduce((a, b) => a + b)).toBe(first!.sum);
    expect(first!.sum).toBe(32);
  });

  it('a filter shallower than the image is refused with both shapes', () => {
    expect(() =>
      walkVolumeConvolution(THREE_CHANNELS_IMAGE, PADDED_TWO_CHANNELS_BANK, {
        stride: 1,
        padding: 1,
      }),
    ).toThrow(
      "a filter's depth must equal the input's depth: the image is 4×4×3, the filters 3×3×2",
    );
  });
});
