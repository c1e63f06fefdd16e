// Lays images side by side into one RGB picture with a label under each, like the chapter's
// matplotlib figures (plt.subplot(1, n, i); plt.imshow(image, cmap=gray); plt.xlabel(label)).
// As imshow does for a gray image, each gray panel is stretched from its own min..max to black..
// white, and every panel is drawn at the same height (enlarged by nearest neighbour, shrunk by
// area average), so the half-size max-pooled image shows as large, blocky pixels beside the others.

import { drawText, measureText } from './font.js';
import { assertImage, colorChannels, extractChannel, type Image, toUint8 } from './image.js';

export interface FigureOptions {
  /** One label per image, drawn centred under it. */
  labels?: readonly string[];
  /** Height of every panel in pixels; default the tallest image's height, at most 600. */
  panelHeight?: number;
  /** Stretch each gray panel's min..max to 0..255 as imshow does (default true). */
  normalize?: boolean;
  /** Space around and between panels, in pixels; default panelHeight / 20 (at least 8). */
  gap?: number;
  /** Size of one font dot; default about panelHeight / 160 (at least 1). */
  textScale?: number;
  /** Background RGB; default white. */
  background?: readonly [number, number, number];
}

const FRAME_COLOR = 0;
/** Keeps the default figure of a large photo screen-sized (the chapter's 500-pixel panels fit). */
const DEFAULT_MAX_PANEL_HEIGHT = 600;

/** One RGB 8-bit image holding every input side by side, framed and labelled. */
export function figure(images: readonly Image[], options: FigureOptions = {}): Image<Uint8Array> {
  if (!Array.isArray(images) || images.length === 0) {
    throw new RangeError('figure: expected a non-empty array of images');
  }
  images.forEach((image, i) => {
    assertImage(image, `figure: image ${i}`);
  });
  const labels = options.labels ?? [];
  if (labels.length > images.length) {
    throw new RangeError(`figure: got ${labels.length} labels for ${images.length} images`);
  }
  const panelHeight =
    options.panelHeight ??
    Math.min(DEFAULT_MAX_PANEL_HEIGHT, Math.max(...images.map((image) => image.height)));
  if (!Number.isSafeInteger(panelHeight) || panelHeight < 1) {
    throw new RangeError(`figure: panelHeight must be a positive integer, got ${panelHeight}`);
  }
  const gap = options.gap ?? Math.max(8, Math.round(panelHeight / 20));
  const textScale = options.textScale ?? Math.max(1, Math.round(panelHeight / 160));
  const normalize = options.normalize ?? true;
  const background = options.background ?? [255, 255, 255];

  const panels = images.map((image) => ({
    image: toDisplay(image, normalize),
    width: Math.max(1, Math.round((image.width * panelHeight) / image.height)),
  }));
  const textHeight = labels.length > 0 ? measureText('Ag', textScale).height + gap : 0;
  const width = gap + panels.reduce((sum, panel) => sum + panel.width + 2 + gap, 0);
  const height = gap + panelHeight + 2 + textHeight + gap;
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i += 3) {
    data[i] = background[0];
    data[i + 1] = background[1];
    data[i + 2] = background[2];
  }
  const canvas: Image<Uint8Array> = { width, height, channels: 3, data };

  let left = gap;
  panels.forEach((panel, i) => {
    fillRect(canvas, left, gap, panel.width + 2, panelHeight + 2, FRAME_COLOR);
    blitScaled(canvas, panel.image, left + 1, gap + 1, panel.width, panelHeight);
    const label = labels[i];
    if (label) {
      const size = measureText(label, textScale);
      drawText(canvas, label, {
        x: left + 1 + Math.round((panel.width - size.width) / 2),
        y: gap + panelHeight + 2 + Math.round(gap / 2),
        scale: textScale,
        color: [30, 30, 30],
      });
    }
    left += panel.width + 2 + gap;
  });
  return canvas;
}

/** An RGB 8-bit version of any image, ready to paint (alpha is dropped). */
function toDisplay(image: Image, normalize: boolean): Image<Uint8Array> {
  const gray = colorChannels(image.channels) === 1;
  // Alpha must not take part in the min..max stretch, so a gray+alpha image gives its gray alone.
  const source = image.channels === 2 ? extractChannel(image, 0) : image;
  const eight = toUint8(source, { normalize: normalize && gray });
  const { width, height, channels } = eight;
  const rgb = new Uint8Array(width * height * 3);
  for (let i = 0, at = 0; i < width * height; i++, at += channels) {
    rgb[i * 3] = eight.data[at]!;
    rgb[i * 3 + 1] = eight.data[gray ? at : at + 1]!;
    rgb[i * 3 + 2] = eight.data[gray ? at : at + 2]!;
  }
  return { width, height, channels: 3, data: rgb };
}

function fillRect(
  canvas: Image<Uint8Array>,
  x: number,
  y: number,
  w: number,
  h: number,
  value: number,
): void {
  for (let row = y; row < y + h; row++) {
    canvas.data.fill(value, (row * canvas.width + x) * 3, (row * canvas.width + x + w) * 3);
  }
}

/**
 * Copies an RGB image into a w x h rectangle of the canvas: each canvas pixel takes the mean of the
 * source pixels it covers, which is nearest neighbour when enlarging and an area average when
 * shrinking (so thin edges of a large picture fade rather than vanish).
 */
function blitScaled(
  canvas: Image<Uint8Array>,
  source: Image<Uint8Array>,
  x: number,
  y: number,
  w: number,
  h: number,
): void {
  const span = (i: number, from: number, to: number): [number, number] => {
    const start = Math.min(from - 1, Math.floor((i * from) / to));
    return [start, Math.max(start + 1, Math.floor(((i + 1) * from) / to))];
  };
  const columns = Array.from({ length: w }, (_, col) => span(col, source.width, w));
  for (let row = 0; row < h; row++) {
    const [rowStart, rowEnd] = span(row, source.height, h);
    for (let col = 0; col < w; col++) {
      const [colStart, colEnd] = columns[col]!;
      let red = 0;
      let green = 0;
      let blue = 0;
      for (let sy = rowStart; sy < rowEnd; sy++) {
        for (let sx = colStart; sx < colEnd; sx++) {
          const from = (sy * source.width + sx) * 3;
          red += source.data[from]!;
          green += source.data[from + 1]!;
          blue += source.data[from + 2]!;
        }
      }
      const count = (rowEnd - rowStart) * (colEnd - colStart);
      const to = ((y + row) * canvas.width + x + col) * 3;
      canvas.data[to] = Math.round(red / count);
      canvas.data[to + 1] = Math.round(green / count);
      canvas.data[to + 2] = Math.round(blue / count);
    }
  }
}
