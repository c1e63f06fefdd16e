// Draws a one-channel image onto a canvas as gray levels, the way matplotlib's
// imshow(cmap=gray) shows the textbook's figures: values are clipped to 0..255 (as the chapter's
// np.clip does), not rescaled, so a filter's real output is what you see.

export interface GrayPixels {
  width: number;
  height: number;
  data: ArrayLike<number>;
}

export function drawGray(canvas: HTMLCanvasElement, image: GrayPixels): void {
  canvas.width = image.width;
  canvas.height = image.height;
  const context = canvas.getContext('2d');
  if (!context) throw new Error('drawGray: this browser gives no 2D canvas context');
  const pixels = context.createImageData(image.width, image.height);
  const rgba = pixels.data;
  for (let i = 0; i < image.width * image.height; i++) {
    const value = image.data[i]!;
    // Uint8ClampedArray clips to 0..255 and rounds on assignment.
    rgba[4 * i] = value;
    rgba[4 * i + 1] = value;
    rgba[4 * i + 2] = value;
    rgba[4 * i + 3] = 255;
  }
  context.putImageData(pixels, 0, 0);
}
