// One image file's bytes to 8-bit pixels: PNG through fast-png (8- and 16-bit gray, gray+alpha,
// RGB, RGBA, palette), JPEG through jpeg-js (baseline and progressive, always RGB out). The format
// is told by the bytes' signature, not the file name, as Keras's decode_image does.

import { convertIndexedToRgb, decode as decodePngBytes, hasPngSignature } from 'fast-png';
import jpeg from 'jpeg-js';

export interface DecodedImage {
  width: number;
  height: number;
  /** 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA; interleaved, row-major, top row first. */
  channels: 1 | 2 | 3 | 4;
  data: Uint8Array;
}

/** JPEG files start with the SOI marker FF D8 followed by another marker's FF. */
function hasJpegSignature(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
}

/** Decodes PNG or JPEG bytes; `name` (a file path) goes into every error. */
export function decodeImage(bytes: Uint8Array, name: string): DecodedImage {
  if (hasPngSignature(bytes)) return decodePng(bytes, name);
  if (hasJpegSignature(bytes)) return decodeJpeg(bytes, name);
  const start = [...bytes.subarray(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
  throw new Error(
    `decodeImage: ${name} is neither PNG (89 50 4e 47 0d 0a 1a 0a) nor JPEG (ff d8 ff); it starts with ${start || 'nothing (empty file)'}`,
  );
}

function decodePng(bytes: Uint8Array, name: string): DecodedImage {
  let png: ReturnType<typeof decodePngBytes>;
  try {
    png = decodePngBytes(bytes);
  } catch (error) {
    throw new Error(`decodeImage: ${name}: corrupt or truncated PNG (${(error as Error).message})`);
  }
  const { width, height } = png;
  if (png.palette) {
    const rgb = convertIndexedToRgb(png);
    return { width, height, channels: rgb.length === width * height * 4 ? 4 : 3, data: rgb };
  }
  const channels = png.channels as DecodedImage['channels'];
  if (png.depth === 8) {
    const data = png.data as Uint8Array;
    return { width, height, channels, data };
  }
  if (png.depth === 16) {
    // 16 bits to 8 as libpng's png_set_scale_16 (what TensorFlow's decode_png uses): round(v / 257).
    const wide = png.data as Uint16Array;
    const data = new Uint8Array(wide.length);
    for (let i = 0; i < wide.length; i++) data[i] = Math.round(wide[i]! / 257);
    return { width, height, channels, data };
  }
  throw new Error(
    `decodeImage: ${name}: ${png.depth}-bit ${channels === 1 ? 'gray' : 'colour'} PNG; expected 8 or 16 bits per channel (or a palette image)`,
  );
}

function decodeJpeg(bytes: Uint8Array, name: string): DecodedImage {
  try {
    const image = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false });
    return { width: image.width, height: image.height, channels: 3, data: image.data };
  } catch (error) {
    throw new Error(
      `decodeImage: ${name}: corrupt or unsupported JPEG (${(error as Error).message})`,
    );
  }
}
