// PNG bytes <-> Image over fast-png. Gray, gray+alpha, RGB and RGBA at 8 or 16 bits per channel
// come out as they are stored; palette images (1, 2, 4 or 8-bit indices) are expanded to RGB, or
// RGBA when the palette has transparency. Gray images below 8 bits are refused with a clear error.

import { convertIndexedToRgb, decode, encode, hasPngSignature } from 'fast-png';
import { assertImage, type Channels, type Image, pixelTypeOf } from './image.js';

const PNG_SIGNATURE_LENGTH = 8;

/**
 * The most pixels a PNG may declare: 2^28 (16384 × 16384, 1 GiB as RGBA). Its header can claim
 * any size; the decoder would allocate for it before finding the data missing.
 */
export const MAX_PNG_PIXELS = 2 ** 28;

/** Width and height from the IHDR chunk, which the PNG format puts first, or undefined. */
function declaredSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  if (bytes.length < 24) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const type = String.fromCharCode(...bytes.subarray(12, 16));
  if (type !== 'IHDR') return undefined;
  return { width: view.getUint32(16, false), height: view.getUint32(20, false) };
}

/** Decodes PNG bytes into an Image (Uint8Array pixels for 8-bit files, Uint16Array for 16-bit). */
export function decodePng(bytes: Uint8Array | ArrayBuffer): Image<Uint8Array | Uint16Array> {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  if (view.length < PNG_SIGNATURE_LENGTH || !hasPngSignature(view)) {
    throw new Error(
      `decodePng: not a PNG file (expected the 8-byte PNG signature 89 50 4E 47 0D 0A 1A 0A, got ${hexPrefix(view)})`,
    );
  }
  const declared = declaredSize(view);
  if (declared && declared.width * declared.height > MAX_PNG_PIXELS) {
    throw new Error(
      `decodePng: the PNG declares ${declared.width}x${declared.height} pixels (${declared.width * declared.height}), more than the limit of ${MAX_PNG_PIXELS} (16384x16384)`,
    );
  }
  let png: ReturnType<typeof decode>;
  try {
    // With CRCs checked, a damaged chunk is named as such instead of decoded as garbage.
    png = decode(view, { checkCrc: true });
  } catch (error) {
    // The decoder's own messages say what is wrong; a RangeError or TypeError from inside it
    // (an array sized from fields that do not agree) says nothing to a reader of the error.
    const detail =
      error instanceof RangeError || error instanceof TypeError
        ? 'its chunks do not hold the data its header declares'
        : describe(error);
    throw new Error(`decodePng: corrupt or truncated PNG (${detail})`, { cause: error });
  }
  const { width, height, depth } = png;
  if (!(width > 0 && height > 0)) {
    throw new Error(`decodePng: corrupt PNG: image size ${width}x${height}`);
  }
  if (png.palette) {
    let rgb: Uint8Array;
    try {
      rgb = convertIndexedToRgb(png);
    } catch (error) {
      throw new Error(`decodePng: corrupt palette image (${describe(error)})`, { cause: error });
    }
    const channels = rgb.length / (width * height);
    if (channels !== 3 && channels !== 4) {
      throw new Error(`decodePng: corrupt palette image: ${channels} values per pixel`);
    }
    return { width, height, channels, data: rgb };
  }
  if (depth !== 8 && depth !== 16) {
    throw new Error(
      `decodePng: unsupported bit depth ${depth} for a ${colorName(png.channels)} image: only 8 and 16 bits per channel are supported (1, 2, 4 and 8 for palette images)`,
    );
  }
  const channels = png.channels as Channels;
  const expected = width * height * channels;
  const data =
    depth === 16
      ? png.data instanceof Uint16Array
        ? png.data
        : Uint16Array.from(png.data)
      : png.data instanceof Uint8Array
        ? png.data
        : new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.length);
  if (data.length !== expected) {
    throw new Error(
      `decodePng: truncated PNG: a ${width}x${height} ${colorName(channels)} image needs ${expected} values, got ${data.length}`,
    );
  }
  return { width, height, channels, data };
}

export interface EncodePngOptions {
  /** zlib compression level 0..9 (default 6). */
  level?: 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;
}

/** Encodes an 8-bit or 16-bit image as PNG bytes. Float images must be converted first (toUint8). */
export function encodePng(image: Image, options: EncodePngOptions = {}): Uint8Array {
  assertImage(image, 'encodePng');
  const type = pixelTypeOf(image.data);
  if (type === 'float32') {
    throw new TypeError(
      'encodePng: PNG stores integers; convert a float32 image first with toUint8(image) (clip) or toUint8(image, { normalize: true })',
    );
  }
  return encode(
    {
      width: image.width,
      height: image.height,
      channels: image.channels,
      depth: type === 'uint16' ? 16 : 8,
      data: image.data as Uint8Array | Uint16Array,
    },
    { zlib: { level: options.level ?? 6 } },
  );
}

/** Reads and decodes a PNG file (Node only: uses node:fs). */
export async function readPng(path: string): Promise<Image<Uint8Array | Uint16Array>> {
  const { readFile } = await import('node:fs/promises');
  const bytes = await readFile(path);
  try {
    return decodePng(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length));
  } catch (error) {
    throw new Error(`readPng: ${path}: ${describe(error).replace(/^decodePng: /, '')}`, {
      cause: error,
    });
  }
}

/** Encodes and writes a PNG file, atomically (write a temporary file, then rename). Node only. */
export async function writePng(
  path: string,
  image: Image,
  options: EncodePngOptions = {},
): Promise<void> {
  const bytes = encodePng(image, options);
  const { writeFile, rename } = await import('node:fs/promises');
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, bytes);
  await rename(temporary, path);
}

function colorName(channels: number): string {
  return ['gray', 'gray+alpha', 'RGB', 'RGBA'][channels - 1] ?? `${channels}-channel`;
}

function hexPrefix(bytes: Uint8Array): string {
  if (bytes.length === 0) return 'an empty file';
  return Array.from(bytes.subarray(0, PNG_SIGNATURE_LENGTH), (b) =>
    b.toString(16).padStart(2, '0').toUpperCase(),
  ).join(' ');
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
