// The convolution window geometry the im2col kernels walk, set once per call by setGeometry()
// (mirrors WindowGeometry on the JS side). Rows are output pixels numbered across the batch items
// the JS side copied in: row = (item·outHeight + outRow)·outWidth + outCol.

export let inHeight: i32 = 0;
export let inWidth: i32 = 0;
export let inChannels: i32 = 0;
export let outHeight: i32 = 0;
export let outWidth: i32 = 0;
export let filterHeight: i32 = 0;
export let filterWidth: i32 = 0;
export let strideHeight: i32 = 0;
export let strideWidth: i32 = 0;
export let dilationHeight: i32 = 0;
export let dilationWidth: i32 = 0;
export let padTop: i32 = 0;
export let padLeft: i32 = 0;

export function setGeometry(
  inH: i32,
  inW: i32,
  inC: i32,
  outH: i32,
  outW: i32,
  filterH: i32,
  filterW: i32,
  strideH: i32,
  strideW: i32,
  dilationH: i32,
  dilationW: i32,
  top: i32,
  left: i32,
): void {
  inHeight = inH;
  inWidth = inW;
  inChannels = inC;
  outHeight = outH;
  outWidth = outW;
  filterHeight = filterH;
  filterWidth = filterW;
  strideHeight = strideH;
  strideWidth = strideW;
  dilationHeight = dilationH;
  dilationWidth = dilationW;
  padTop = top;
  padLeft = left;
}

// Zeros that stand in for the padding: a window tap outside the image reads from here, so the
// vector loops need no per-element bounds test.
export const ZERO_CHANNELS: i32 = 1024;
export const zeros = memory.data(ZERO_CHANNELS * 4, 16);

/** A window top that puts every tap outside the image (for rows past the end of a panel). */
export const OUTSIDE: i32 = -(1 << 30);

// Where output `row`'s window starts: its batch item's first input byte, and the input row and
// column of its top-left tap (which may lie in the padding). Computed once per output row, so the
// divisions are not repeated for every tap.

export function itemAddress(x: usize, row: i32): usize {
  const item = row / (outHeight * outWidth);
  return x + ((<usize>(item * inHeight * inWidth) * <usize>inChannels) << 2);
}

export function windowTop(row: i32): i32 {
  const pixel = row % (outHeight * outWidth);
  return (pixel / outWidth) * strideHeight - padTop;
}

export function windowLeft(row: i32): i32 {
  const pixel = row % (outHeight * outWidth);
  return (pixel % outWidth) * strideWidth - padLeft;
}

/** Byte address of the input pixel tap (tapRow, tapCol) of a window reads, or 0 in the padding. */
export function tapAddress(item: usize, top: i32, left: i32, tapRow: i32, tapCol: i32): usize {
  const inRow = top + tapRow * dilationHeight;
  const inCol = left + tapCol * dilationWidth;
  if (<u32>inRow >= <u32>inHeight || <u32>inCol >= <u32>inWidth) return 0;
  return item + ((<usize>(inRow * inWidth + inCol) * <usize>inChannels) << 2);
}
