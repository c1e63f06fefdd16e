// Turns any gray picture into what a Fashion-MNIST model expects, the way Fashion-MNIST's own
// images were made: the item light on black (a photo of an item on a light background is
// inverted), trimmed to the item, its longer side scaled to 28 pixels, centred in a 28×28 frame.

export interface GrayPicture {
  width: number;
  height: number;
  /** One byte per pixel, row by row, 0 black … 255 white. */
  data: ArrayLike<number>;
}

export const SIZE = 28;
/** Pixels this fraction of the brightest one or darker count as background when trimming. */
const BACKGROUND_FRACTION = 0.1;

/** The mean of the outermost rows and columns: the picture's background, most likely. */
function borderMean(picture: GrayPicture): number {
  const { width, height, data } = picture;
  let sum = 0;
  let count = 0;
  for (let x = 0; x < width; x++) {
    sum += data[x]! + data[(height - 1) * width + x]!;
    count += 2;
  }
  for (let y = 1; y < height - 1; y++) {
    sum += data[y * width]! + data[y * width + width - 1]!;
    count += 2;
  }
  return sum / count;
}

/**
 * The area-weighted mean of the source pixels under each target pixel, scaling the box
 * [left, left + width) × [top, top + height) of `source` to `outWidth` × `outHeight`. Exact for
 * any factor: shrinking a picture four times averages each 4×4 block.
 */
function resampleArea(
  source: Float64Array,
  sourceWidth: number,
  box: { left: number; top: number; width: number; height: number },
  outWidth: number,
  outHeight: number,
): Float64Array {
  const out = new Float64Array(outWidth * outHeight);
  const scaleX = box.width / outWidth;
  const scaleY = box.height / outHeight;
  for (let oy = 0; oy < outHeight; oy++) {
    const y0 = oy * scaleY;
    const y1 = y0 + scaleY;
    for (let ox = 0; ox < outWidth; ox++) {
      const x0 = ox * scaleX;
      const x1 = x0 + scaleX;
      let sum = 0;
      for (let y = Math.floor(y0); y < Math.ceil(y1); y++) {
        const coverY = Math.min(y1, y + 1) - Math.max(y0, y);
        for (let x = Math.floor(x0); x < Math.ceil(x1); x++) {
          const coverX = Math.min(x1, x + 1) - Math.max(x0, x);
          sum += coverX * coverY * source[(box.top + y) * sourceWidth + box.left + x]!;
        }
      }
      out[oy * outWidth + ox] = sum / (scaleX * scaleY);
    }
  }
  return out;
}

/** 784 bytes, row by row: the picture as the model sees it (all black when it is blank). */
export function toModelInput(picture: GrayPicture): Uint8Array {
  const { width, height, data } = picture;
  if (width < 1 || height < 1 || data.length !== width * height) {
    throw new RangeError(
      `toModelInput: expected ${width}×${height} = ${width * height} gray bytes, got ${data.length}`,
    );
  }
  const invert = borderMean(picture) > 127;
  const light = new Float64Array(width * height);
  let brightest = 0;
  for (let i = 0; i < light.length; i++) {
    light[i] = invert ? 255 - data[i]! : data[i]!;
    brightest = Math.max(brightest, light[i]!);
  }
  const out = new Uint8Array(SIZE * SIZE);
  if (brightest === 0) return out;
  const threshold = BACKGROUND_FRACTION * brightest;
  let [left, top, right, bottom] = [width, height, -1, -1];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (light[y * width + x]! <= threshold) continue;
      left = Math.min(left, x);
      right = Math.max(right, x);
      top = Math.min(top, y);
      bottom = Math.max(bottom, y);
    }
  }
  const box = { left, top, width: right - left + 1, height: bottom - top + 1 };
  const scale = SIZE / Math.max(box.width, box.height);
  const outWidth = Math.max(1, Math.min(SIZE, Math.round(box.width * scale)));
  const outHeight = Math.max(1, Math.min(SIZE, Math.round(box.height * scale)));
  const scaled = resampleArea(light, width, box, outWidth, outHeight);
  const offsetX = Math.floor((SIZE - outWidth) / 2);
  const offsetY = Math.floor((SIZE - outHeight) / 2);
  for (let y = 0; y < outHeight; y++) {
    for (let x = 0; x < outWidth; x++) {
      out[(offsetY + y) * SIZE + offsetX + x] = Math.min(
        255,
        Math.round(scaled[y * outWidth + x]!),
      );
    }
  }
  return out;
}
