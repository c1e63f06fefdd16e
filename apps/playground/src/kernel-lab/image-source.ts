// Where the kernel lab's picture comes from: the sample picture that @convoy/vision ships, or a
// file the learner drops or picks. Files are decoded by the browser (PNG, JPEG, WebP, …) and
// turned to gray with @convoy/vision's toGray, the textbook's cv2.cvtColor(…, COLOR_BGR2GRAY).

import { drawCube, type GrayImage, type Image, toGray } from '@convoy/vision';

/** Bigger pictures are scaled down so filtering stays interactive. */
export const MAX_SIDE = 800;

export interface LabPicture {
  name: string;
  gray: GrayImage;
  /** Set when the picture was scaled down to fit MAX_SIDE. */
  scaledFrom?: { width: number; height: number };
}

/** @convoy/vision's sample cube (500×500, like the chapter's cube.png), drawn in the page. */
export async function samplePicture(): Promise<LabPicture> {
  return { name: 'sample cube', gray: toGray(drawCube({ size: 500 })) };
}

export async function pictureFromFile(file: Blob & { name?: string }): Promise<LabPicture> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch (error) {
    throw new Error(
      `kernel lab: cannot decode ${file.name ?? 'the file'} as an image (${file.type || 'unknown type'}): pick a PNG, JPEG or WebP`,
      { cause: error },
    );
  }
  const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
  const width = Math.max(1, Math.round(bitmap.width * scale));
  const height = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('kernel lab: this browser gives no 2D canvas context');
  context.drawImage(bitmap, 0, 0, width, height);
  const pixels = context.getImageData(0, 0, width, height);
  const rgba: Image<Uint8Array> = {
    width,
    height,
    channels: 4,
    data: new Uint8Array(pixels.data.buffer, pixels.data.byteOffset, pixels.data.length),
  };
  const picture: LabPicture = { name: file.name ?? 'your picture', gray: toGray(rgba) };
  if (scale < 1) picture.scaledFrom = { width: bitmap.width, height: bitmap.height };
  bitmap.close();
  return picture;
}
