// Lays images side by side into one picture with a label under each, like the chapter's
// matplotlib figures (plt.subplot(1, n, i); plt.imshow(image, cmap=gray); plt.xlabel(label)).
// As imshow does for a gray image, each gray panel is stretched from its own min..max to black..
// white, and every panel is drawn at the same height (enlarged by nearest neighbour, shrunk by
// area average), so the half-size max-pooled image shows as large, blocky pixels beside the others.
// The figure is an ECharts graphic — framed panels and labels in DejaVu Sans — rendered to SVG
// (figureSvg) and, for the pixels, rasterized by resvg (figure).

import { svgToImage } from './chart/rasterize.js';
import { renderChartSvg } from './chart/render-svg.js';
import { CHART_FONT_FAMILY, INK_COLOR } from './chart/theme.js';
import { assertImage, colorChannels, extractChannel, type Image, toUint8 } from './image.js';
import { encodePng } from './png.js';

export interface FigureOptions {
  /** One label per image, drawn centred under it. */
  labels?: readonly string[];
  /** Height of every panel in pixels; default the tallest image's height, at most 600. */
  panelHeight?: number;
  /** Stretch each gray panel's min..max to 0..255 as imshow does (default true). */
  normalize?: boolean;
  /** Space around and between panels, in pixels; default panelHeight / 20 (at least 8). */
  gap?: number;
  /** Label size in pixels; default panelHeight / 25 (at least 12). */
  fontSize?: number;
  /** Background RGB; default white. */
  background?: readonly [number, number, number];
}

/** Keeps the default figure of a large photo screen-sized (the chapter's 500-pixel panels fit). */
const DEFAULT_MAX_PANEL_HEIGHT = 600;

interface Layout {
  width: number;
  height: number;
  elements: object[];
}

/** The figure as an SVG document (panels embedded as PNG images, labels as text). */
export function figureSvg(images: readonly Image[], options: FigureOptions = {}): string {
  const layout = layOut(images, options);
  return renderChartSvg(
    { graphic: { elements: layout.elements } },
    { width: layout.width, height: layout.height },
  );
}

/** One RGB 8-bit image holding every input side by side, framed and labelled. */
export async function figure(
  images: readonly Image[],
  options: FigureOptions = {},
): Promise<Image<Uint8Array>> {
  const rgba = await svgToImage(figureSvg(images, options), { shapes: 'crisp' });
  const pixels = rgba.width * rgba.height;
  const rgb = new Uint8Array(pixels * 3);
  for (let i = 0; i < pixels; i++) rgb.set(rgba.data.subarray(i * 4, i * 4 + 3), i * 3);
  return { width: rgba.width, height: rgba.height, channels: 3, data: rgb };
}

function layOut(images: readonly Image[], options: FigureOptions): Layout {
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
  const fontSize = options.fontSize ?? Math.max(12, Math.round(panelHeight / 25));
  const normalize = options.normalize ?? true;
  const [red, green, blue] = options.background ?? [255, 255, 255];

  const panels = images.map((image) => {
    const width = Math.max(1, Math.round((image.width * panelHeight) / image.height));
    return { width, pixels: scaleTo(toDisplay(image, normalize), width, panelHeight) };
  });
  const labelHeight = labels.length > 0 ? Math.ceil(fontSize * 1.25) + gap : 0;
  const width = gap + panels.reduce((sum, panel) => sum + panel.width + 2 + gap, 0);
  const height = gap + panelHeight + 2 + labelHeight + gap;

  const elements: object[] = [
    {
      type: 'rect',
      shape: { x: 0, y: 0, width, height },
      style: { fill: `rgb(${red},${green},${blue})` },
    },
  ];
  let left = gap;
  panels.forEach((panel, i) => {
    // A one-pixel black frame: the panel sits on a black rectangle two pixels larger.
    elements.push(
      {
        type: 'rect',
        shape: { x: left, y: gap, width: panel.width + 2, height: panelHeight + 2 },
        style: { fill: '#000000' },
      },
      {
        type: 'image',
        style: {
          image: pngDataUrl(panel.pixels),
          x: left + 1,
          y: gap + 1,
          width: panel.width,
          height: panelHeight,
        },
      },
    );
    const label = labels[i];
    if (label)
      elements.push({
        type: 'text',
        style: {
          text: label,
          x: left + 1 + panel.width / 2,
          y: gap + panelHeight + 2 + Math.round(gap / 2),
          fill: INK_COLOR,
          font: `${fontSize}px ${CHART_FONT_FAMILY}`,
          textAlign: 'center',
          textVerticalAlign: 'top',
        },
      });
    left += panel.width + 2 + gap;
  });
  return { width, height, elements };
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

/**
 * The RGB image scaled to w x h: each pixel takes the mean of the source pixels it covers, which
 * is nearest neighbour when enlarging and an area average when shrinking (so thin edges of a
 * large picture fade rather than vanish). Done here, on exact integers, so the renderer only
 * places the panel at its own size.
 */
function scaleTo(source: Image<Uint8Array>, w: number, h: number): Image<Uint8Array> {
  const out = new Uint8Array(w * h * 3);
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
      const to = (row * w + col) * 3;
      out[to] = Math.round(red / count);
      out[to + 1] = Math.round(green / count);
      out[to + 2] = Math.round(blue / count);
    }
  }
  return { width: w, height: h, channels: 3, data: out };
}

function pngDataUrl(image: Image<Uint8Array>): string {
  const bytes = encodePng(image, { level: 1 });
  // btoa takes a binary string; built in chunks, as a spread of a large array overflows the stack.
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return `data:image/png;base64,${btoa(binary)}`;
}
