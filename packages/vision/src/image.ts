// The Image type every function of this package takes and returns: interleaved pixels, row-major,
// top row first (the layout PNG and NumPy use). The typed array says what a pixel value means:
// Uint8Array 0..255, Uint16Array 0..65535, Float32Array unbounded (filter results before clipping,
// averages). A 1- or 2-channel image is gray (+ alpha); 3 or 4 channels are RGB (+ alpha).

export type PixelData = Uint8Array | Uint16Array | Float32Array;
export type Channels = 1 | 2 | 3 | 4;
export type PixelType = 'uint8' | 'uint16' | 'float32';

export interface Image<T extends PixelData = PixelData> {
  readonly width: number;
  readonly height: number;
  readonly channels: Channels;
  readonly data: T;
}

export type GrayImage<T extends PixelData = PixelData> = Image<T> & { readonly channels: 1 };

/** The pixel type of an image's data. */
export function pixelTypeOf(data: PixelData): PixelType {
  if (data instanceof Uint8Array) return 'uint8';
  if (data instanceof Uint16Array) return 'uint16';
  return 'float32';
}

/** The largest value a pixel of this type can hold (Infinity for float32). */
export function maxValueOf(type: PixelType): number {
  return type === 'uint8' ? 255 : type === 'uint16' ? 65535 : Number.POSITIVE_INFINITY;
}

export function allocatePixels(type: PixelType, size: number): PixelData {
  if (type === 'uint8') return new Uint8Array(size);
  if (type === 'uint16') return new Uint16Array(size);
  return new Float32Array(size);
}

/** Whether the last channel is alpha (gray+alpha or RGBA). */
export function hasAlpha(channels: Channels): boolean {
  return channels === 2 || channels === 4;
}

/** Number of colour channels (without alpha): 1 for gray, 3 for RGB. */
export function colorChannels(channels: Channels): 1 | 3 {
  return channels <= 2 ? 1 : 3;
}

/** Checks that a value is a well-formed Image; `op` names the caller in the error. */
export function assertImage(image: Image, op: string): void {
  if (image === null || typeof image !== 'object') {
    throw new TypeError(
      `${op}: expected an image { width, height, channels, data }, got ${String(image)}`,
    );
  }
  const { width, height, channels, data } = image;
  if (!Number.isSafeInteger(width) || !Number.isSafeInteger(height) || width <= 0 || height <= 0) {
    throw new RangeError(
      `${op}: image width and height must be positive integers, got ${width}x${height}`,
    );
  }
  if (channels !== 1 && channels !== 2 && channels !== 3 && channels !== 4) {
    throw new RangeError(`${op}: image channels must be 1, 2, 3 or 4, got ${String(channels)}`);
  }
  if (
    !(data instanceof Uint8Array || data instanceof Uint16Array || data instanceof Float32Array)
  ) {
    throw new TypeError(`${op}: image data must be a Uint8Array, Uint16Array or Float32Array`);
  }
  if (data.length !== width * height * channels) {
    throw new RangeError(
      `${op}: a ${width}x${height} image with ${channels} channel(s) needs ${width * height * channels} values, got ${data.length}`,
    );
  }
}

/** Makes an image (zero-filled unless data is given) after checking that the sizes agree. */
export function createImage<T extends PixelData = Uint8Array>(
  width: number,
  height: number,
  channels: Channels,
  data?: T,
): Image<T> {
  const image = {
    width,
    height,
    channels,
    data: data ?? (new Uint8Array(Math.max(0, width * height * channels)) as PixelData as T),
  };
  assertImage(image, 'createImage');
  return image;
}

/** Copies one channel out as a gray image. */
export function extractChannel<T extends PixelData>(
  image: Image<T>,
  channel: number,
): GrayImage<T> {
  assertImage(image, 'extractChannel');
  if (!Number.isInteger(channel) || channel < 0 || channel >= image.channels) {
    throw new RangeError(
      `extractChannel: channel must be 0..${image.channels - 1}, got ${channel}`,
    );
  }
  const pixels = image.width * image.height;
  const out = allocatePixels(pixelTypeOf(image.data), pixels) as T;
  for (let i = 0; i < pixels; i++) out[i] = image.data[i * image.channels + channel]!;
  return { width: image.width, height: image.height, channels: 1, data: out };
}

export interface ToUint8Options {
  /**
   * Stretch [min, max] of the image to [0, 255] as matplotlib's imshow does for a gray colormap.
   * Without it values are clipped to 0..255 and truncated toward zero (NumPy's uint8 cast).
   */
  normalize?: boolean;
}

/**
 * An 8-bit copy of any image: uint16 is scaled by 255/65535 (rounded), float32 is clipped (or
 * normalized), uint8 is copied (or normalized).
 */
export function toUint8(image: Image, options: ToUint8Options = {}): Image<Uint8Array> {
  assertImage(image, 'toUint8');
  const { data } = image;
  const out = new Uint8Array(data.length);
  if (options.normalize) {
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < data.length; i++) {
      const v = data[i]!;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    // matplotlib's Normalize then a 256-entry gray colormap: entry floor(256 * t), the top one
    // for t = 1. A flat image maps to 0, the colormap's low end, as imshow draws it.
    const range = max - min;
    for (let i = 0; i < data.length; i++) {
      out[i] = range > 0 ? Math.min(255, Math.floor((256 * (data[i]! - min)) / range)) : 0;
    }
  } else if (data instanceof Uint16Array) {
    for (let i = 0; i < data.length; i++) out[i] = Math.round((data[i]! * 255) / 65535);
  } else {
    for (let i = 0; i < data.length; i++) {
      const v = data[i]!;
      out[i] = v <= 0 || Number.isNaN(v) ? 0 : v >= 255 ? 255 : Math.trunc(v);
    }
  }
  return { width: image.width, height: image.height, channels: image.channels, data: out };
}
