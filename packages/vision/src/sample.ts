// The default sample picture: a shaded 3-D cube with letters on its faces, standing in for the
// chapter's cube.png (which is not freely available). It is drawn by this code — faces as
// parallelograms, letters mapped onto each face through its own (u, v) coordinates — and a
// rendering is committed as assets/cube.png so the command works without arguments; a test
// checks that the file still equals drawCube().

import { GLYPH_ADVANCE, GLYPH_HEIGHT, GLYPH_WIDTH, glyph } from './cube-letters.js';
import type { Image } from './image.js';
import { readPng } from './png.js';

type Point = readonly [number, number];
type Rgb = readonly [number, number, number];

interface Face {
  origin: Point;
  /** Edge along which text runs (u = 0..1). */
  across: Point;
  /** Edge from a text line's top to its bottom (v = 0..1). */
  down: Point;
  color: Rgb;
  /** Brightness change from v = 0 to v = 1 (a simple gradient so faces are not flat). */
  shade: number;
  text: string;
  textColor: Rgb;
}

export interface DrawCubeOptions {
  /** Canvas size; default 500 (the chapter's picture is 500x500). */
  size?: number;
}

/** Draws the sample cube as an RGB 8-bit image. Deterministic: same options, same pixels. */
export function drawCube(options: DrawCubeOptions = {}): Image<Uint8Array> {
  const size = options.size ?? 500;
  if (!Number.isSafeInteger(size) || size < 32) {
    throw new RangeError(`drawCube: size must be an integer of at least 32, got ${size}`);
  }
  const data = new Uint8Array(size * size * 3);
  const edge = size * 0.3;
  const front: Point = [size * 0.5, size * 0.55];
  const toLeftBack: Point = [-Math.cos(Math.PI / 6) * edge, -0.5 * edge];
  const toRightBack: Point = [Math.cos(Math.PI / 6) * edge, -0.5 * edge];
  const downward: Point = [0, edge];
  const leftCorner: Point = [front[0] + toLeftBack[0], front[1] + toLeftBack[1]];
  const faces: Face[] = [
    {
      origin: leftCorner,
      across: toRightBack,
      down: [-toLeftBack[0], -toLeftBack[1]],
      color: [236, 200, 96],
      shade: -0.1,
      text: 'CNN',
      textColor: [90, 50, 20],
    },
    {
      origin: leftCorner,
      across: [-toLeftBack[0], -toLeftBack[1]],
      down: downward,
      color: [70, 130, 200],
      shade: -0.25,
      text: 'A7',
      textColor: [245, 245, 245],
    },
    {
      origin: front,
      across: toRightBack,
      down: downward,
      color: [40, 80, 140],
      shade: -0.3,
      text: 'xy',
      textColor: [250, 220, 120],
    },
  ];
  const shadowCentre: Point = [front[0], front[1] + edge * 1.05];
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      // Background: a soft vertical gradient with an elliptical shadow under the cube.
      let level = 238 - Math.round((28 * y) / size);
      const dx = (x - shadowCentre[0]) / (edge * 1.5);
      const dy = (y - shadowCentre[1]) / (edge * 0.35);
      const r2 = dx * dx + dy * dy;
      if (r2 < 1) level -= Math.round(60 * (1 - r2));
      let color: Rgb = [level, level, Math.min(level + 4, 255)];
      for (const face of faces) {
        const uv = faceCoordinates(face, x + 0.5, y + 0.5);
        if (!uv) continue;
        const [u, v] = uv;
        const brightness = 1 + face.shade * v;
        color = textCovers(face.text, u, v)
          ? face.textColor
          : [
              clampByte(face.color[0] * brightness),
              clampByte(face.color[1] * brightness),
              clampByte(face.color[2] * brightness),
            ];
      }
      const at = (y * size + x) * 3;
      data[at] = color[0];
      data[at + 1] = color[1];
      data[at + 2] = color[2];
    }
  }
  return { width: size, height: size, channels: 3, data };
}

/** (u, v) of a point inside a face's parallelogram, or undefined outside it. */
function faceCoordinates(face: Face, x: number, y: number): [number, number] | undefined {
  const [ax, ay] = face.across;
  const [dx, dy] = face.down;
  const px = x - face.origin[0];
  const py = y - face.origin[1];
  const determinant = ax * dy - ay * dx;
  const u = (px * dy - py * dx) / determinant;
  const v = (ax * py - ay * px) / determinant;
  return u >= 0 && u < 1 && v >= 0 && v < 1 ? [u, v] : undefined;
}

/** Whether the face's text, centred and filling 70% of the face's width, covers (u, v). */
function textCovers(text: string, u: number, v: number): boolean {
  const columns = text.length * GLYPH_ADVANCE - 1;
  const dot = 0.7 / columns;
  const left = 0.15;
  const top = 0.5 - (GLYPH_HEIGHT * dot) / 2;
  const col = Math.floor((u - left) / dot);
  const row = Math.floor((v - top) / dot);
  if (col < 0 || col >= columns || row < 0 || row >= GLYPH_HEIGHT) return false;
  const charIndex = Math.floor(col / GLYPH_ADVANCE);
  const within = col - charIndex * GLYPH_ADVANCE;
  if (within >= GLYPH_WIDTH) return false;
  return (glyph(text[charIndex]!)[row]! & (0x10 >> within)) !== 0;
}

function clampByte(value: number): number {
  return Math.max(0, Math.min(255, Math.round(value)));
}

/** Where the committed sample picture is (a file: URL, next to this package's sources). */
export const SAMPLE_PICTURE_URL = new URL('../assets/cube.png', import.meta.url);

/** Reads the committed sample picture (Node only). */
export async function loadSample(): Promise<Image<Uint8Array>> {
  const { fileURLToPath } = await import('node:url');
  return (await readPng(fileURLToPath(SAMPLE_PICTURE_URL))) as Image<Uint8Array>;
}
