// A tiny RGBA rasterizer for the training-curve picture: filled rectangles, thick lines and
// square markers on an 8-bit RGBA buffer. Enough for a chart, nothing more.

export type Color = readonly [red: number, green: number, blue: number];

export interface RgbaImage {
  width: number;
  height: number;
  /** Row-major RGBA, 4 bytes per pixel. */
  data: Uint8Array;
}

export class Raster implements RgbaImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;

  constructor(width: number, height: number, background: Color) {
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1)
      throw new RangeError(`raster: size must be positive integers, got ${width}x${height}`);
    this.width = width;
    this.height = height;
    this.data = new Uint8Array(width * height * 4);
    this.fillRect(0, 0, width, height, background);
  }

  /** Sets one pixel; coordinates outside the image are ignored (lines may run off the edge). */
  setPixel(x: number, y: number, color: Color): void {
    const column = Math.round(x);
    const row = Math.round(y);
    if (column < 0 || row < 0 || column >= this.width || row >= this.height) return;
    const offset = (row * this.width + column) * 4;
    this.data[offset] = color[0];
    this.data[offset + 1] = color[1];
    this.data[offset + 2] = color[2];
    this.data[offset + 3] = 255;
  }

  fillRect(x: number, y: number, width: number, height: number, color: Color): void {
    const left = Math.max(0, Math.round(x));
    const top = Math.max(0, Math.round(y));
    const right = Math.min(this.width, Math.round(x + width));
    const bottom = Math.min(this.height, Math.round(y + height));
    for (let row = top; row < bottom; row++) {
      for (let column = left; column < right; column++) {
        const offset = (row * this.width + column) * 4;
        this.data[offset] = color[0];
        this.data[offset + 1] = color[1];
        this.data[offset + 2] = color[2];
        this.data[offset + 3] = 255;
      }
    }
  }

  /** A one-pixel rectangle outline. */
  strokeRect(x: number, y: number, width: number, height: number, color: Color): void {
    this.fillRect(x, y, width, 1, color);
    this.fillRect(x, y + height - 1, width, 1, color);
    this.fillRect(x, y, 1, height, color);
    this.fillRect(x + width - 1, y, 1, height, color);
  }

  /** A line `thickness` pixels wide, stamped as squares at sub-pixel steps along its length. */
  drawLine(x0: number, y0: number, x1: number, y1: number, color: Color, thickness = 1): void {
    const steps = Math.max(1, Math.ceil(Math.hypot(x1 - x0, y1 - y0) * 2));
    const half = (thickness - 1) / 2;
    for (let step = 0; step <= steps; step++) {
      const t = step / steps;
      const x = x0 + (x1 - x0) * t;
      const y = y0 + (y1 - y0) * t;
      this.fillRect(x - half, y - half, thickness, thickness, color);
    }
  }

  /** A filled square centred on (x, y): marks a data point even when a series has one epoch. */
  drawMarker(x: number, y: number, size: number, color: Color): void {
    this.fillRect(x - size / 2, y - size / 2, size, size, color);
  }
}
