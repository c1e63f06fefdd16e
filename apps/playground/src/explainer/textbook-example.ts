// The textbook's numeric examples, as the chapter's numpy code makes them with np.random.seed(1),
// bundled so the explainer needs no fixture file at run time. Volumes are HWC (rows, columns,
// channels) and filter banks HWIO (rows, columns, input channel, filter), the chapter's and
// Keras's layouts; a test checks every number against fixtures/textbook-examples.json.

export type Matrix = number[][];
/** An image of several channels, [row][column][channel]. */
export type Volume = number[][][];
/** Several filters over several input channels, [row][column][inChannel][filter]. */
export type FilterBank = number[][][][];

/** 513_1 / 514_1: the 4×4 image. */
export const TEXTBOOK_IMAGE: Matrix = [
  [3, 4, 0, 1],
  [3, 0, 0, 1],
  [4, 4, 1, 2],
  [4, 2, 4, 3],
];

/** 513_1 / 514_1: the 3×3 filter. */
export const TEXTBOOK_FILTER: Matrix = [
  [4, 2, 4],
  [2, 4, 1],
  [1, 0, 1],
];

/** 515_1: 514_1's zero-padded convolution, which the chapter then max pools 2×2 with stride 2. */
export const POOLING_INPUT: Matrix = [
  [16, 25, 10, 4],
  [38, 31, 27, 7],
  [28, 45, 23, 16],
  [42, 48, 49, 28],
];

/** 516_1: the 4×4 image again, as one channel, and two 3×3 filters (3×3×1×2). */
export const TWO_FILTERS_IMAGE: Volume = TEXTBOOK_IMAGE.map((row) => row.map((v) => [v]));
export const TWO_FILTERS_BANK: FilterBank = [
  [[[4, 2]], [[4, 2]], [[4, 1]]],
  [[[1, 0]], [[1, 1]], [[1, 1]]],
  [[[0, 4]], [[1, 0]], [[0, 3]]],
];

/** 518_1: a 3×3×2 image and one 3×3×2 filter, no padding: a single output, 64. */
export const TWO_CHANNELS_IMAGE: Volume = [
  [
    [3, 4],
    [0, 1],
    [3, 0],
  ],
  [
    [0, 1],
    [4, 4],
    [1, 2],
  ],
  [
    [4, 2],
    [4, 3],
    [4, 2],
  ],
];
export const TWO_CHANNELS_BANK: FilterBank = [
  [
    [[4], [2]],
    [[4], [1]],
    [[1], [0]],
  ],
  [
    [[1], [1]],
    [[1], [1]],
    [[0], [4]],
  ],
  [
    [[1], [0]],
    [[0], [3]],
    [[2], [1]],
  ],
];

/** 519_1: the 4×4×2 image of 5110_1, zero padded, and one 3×3×2 filter: a 4×4×1 output. */
export const ONE_FILTER_TWO_CHANNELS_BANK: FilterBank = [
  [
    [[0], [3]],
    [[2], [1]],
    [[0], [3]],
  ],
  [
    [[1], [1]],
    [[3], [4]],
    [[0], [1]],
  ],
  [
    [[3], [4]],
    [[2], [4]],
    [[0], [3]],
  ],
];

/** 5110_1 (and 519_1): a 4×4×2 image, zero padded, and two 3×3×2 filters (3×3×2×2). */
export const PADDED_TWO_CHANNELS_IMAGE: Volume = [
  [
    [3, 4],
    [0, 1],
    [3, 0],
    [0, 1],
  ],
  [
    [4, 4],
    [1, 2],
    [4, 2],
    [4, 3],
  ],
  [
    [4, 2],
    [4, 2],
    [4, 1],
    [1, 0],
  ],
  [
    [1, 1],
    [1, 1],
    [0, 4],
    [1, 0],
  ],
];
export const PADDED_TWO_CHANNELS_BANK: FilterBank = [
  [
    [
      [0, 3],
      [2, 1],
    ],
    [
      [0, 3],
      [1, 1],
    ],
    [
      [3, 4],
      [0, 1],
    ],
  ],
  [
    [
      [3, 4],
      [2, 4],
    ],
    [
      [0, 3],
      [1, 2],
    ],
    [
      [0, 4],
      [1, 2],
    ],
  ],
  [
    [
      [2, 1],
      [0, 1],
    ],
    [
      [3, 4],
      [3, 1],
    ],
    [
      [3, 0],
      [0, 2],
    ],
  ],
];

/** 5111_1: a 4×4×3 image, zero padded, and two 3×3×3 filters (3×3×3×2). */
export const THREE_CHANNELS_IMAGE: Volume = [
  [
    [3, 4, 0],
    [1, 3, 0],
    [0, 1, 4],
    [4, 1, 2],
  ],
  [
    [4, 2, 4],
    [3, 4, 2],
    [4, 2, 4],
    [1, 1, 0],
  ],
  [
    [1, 1, 1],
    [1, 0, 4],
    [1, 0, 0],
    [3, 2, 1],
  ],
  [
    [0, 3, 1],
    [1, 3, 4],
    [0, 1, 3],
    [4, 2, 4],
  ],
];
export const THREE_CHANNELS_BANK: FilterBank = [
  [
    [
      [0, 3],
      [1, 2],
      [0, 4],
    ],
    [
      [1, 2],
      [2, 1],
      [0, 1],
    ],
    [
      [3, 4],
      [3, 1],
      [3, 0],
    ],
  ],
  [
    [
      [0, 2],
      [2, 1],
      [3, 4],
    ],
    [
      [2, 0],
      [0, 1],
      [1, 3],
    ],
    [
      [0, 0],
      [4, 2],
      [4, 3],
    ],
  ],
  [
    [
      [3, 0],
      [3, 4],
      [3, 4],
    ],
    [
      [4, 4],
      [1, 0],
      [4, 2],
    ],
    [
      [0, 2],
      [4, 1],
      [1, 0],
    ],
  ],
];

/** Channel `c` of a volume, as the chapter prints it: image[:, :, c]. */
export function channelOf(volume: Volume, c: number): Matrix {
  return volume.map((row) => row.map((pixel) => pixel[c]!));
}

/** Input channel `i` of filter `f`, as the chapter prints it: filter[:, :, i, f]. */
export function filterSlice(bank: FilterBank, inChannel: number, filter: number): Matrix {
  return bank.map((row) => row.map((tap) => tap[inChannel]![filter]!));
}
