// An independent, deliberately literal convolution for cross-checking the kernels: it builds the
// zero-padded image explicitly (as the textbook does) and then slides a dilated window over it,
// with none of the kernels' index arithmetic. Slow, tiny inputs only.

import { type Tensor, tensor } from '@convoy/tensor';

export interface NaivePadding {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

export function naiveConv2d(
  x: Tensor<'float32'>,
  filter: Tensor<'float32'>,
  strides: [number, number],
  padding: NaivePadding,
  dilations: [number, number],
): Tensor<'float32'> {
  const [batch, height, width, inChannels] = x.shape as [number, number, number, number];
  const [kh, kw, , outChannels] = filter.shape as [number, number, number, number];
  const paddedHeight = height + padding.top + padding.bottom;
  const paddedWidth = width + padding.left + padding.right;
  const padded = (b: number, row: number, col: number, c: number): number => {
    const r = row - padding.top;
    const k = col - padding.left;
    return r < 0 || r >= height || k < 0 || k >= width ? 0 : x.get(b, r, k, c);
  };
  const spanH = (kh - 1) * dilations[0] + 1;
  const spanW = (kw - 1) * dilations[1] + 1;
  const out: number[][][][] = [];
  for (let b = 0; b < batch; b++) {
    const image: number[][][] = [];
    for (let row = 0; row + spanH <= paddedHeight; row += strides[0]) {
      const line: number[][] = [];
      for (let col = 0; col + spanW <= paddedWidth; col += strides[1]) {
        const pixel: number[] = [];
        for (let o = 0; o < outChannels; o++) {
          let sum = 0;
          for (let i = 0; i < kh; i++) {
            for (let j = 0; j < kw; j++) {
              for (let c = 0; c < inChannels; c++) {
                sum +=
                  padded(b, row + i * dilations[0], col + j * dilations[1], c) *
                  filter.get(i, j, c, o);
              }
            }
          }
          pixel.push(sum);
        }
        line.push(pixel);
      }
      image.push(line);
    }
    out.push(image);
  }
  return tensor(out);
}
