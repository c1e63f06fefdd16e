// The textbook's 4×4 image and 3×3 filter (examples 513_1 and 514_1, made by np.random.seed(1)
// in the chapter), bundled so the explainer needs no fixture file at run time.

export type Matrix = number[][];

export const TEXTBOOK_IMAGE: Matrix = [
  [3, 4, 0, 1],
  [3, 0, 0, 1],
  [4, 4, 1, 2],
  [4, 2, 4, 3],
];

export const TEXTBOOK_FILTER: Matrix = [
  [4, 2, 4],
  [2, 4, 1],
  [1, 0, 1],
];
