// SVG to pixels with resvg (its WebAssembly build, @resvg/resvg-wasm: no native binaries) and
// DejaVu Sans from the dejavu-fonts-ttf package, so a PNG's text looks the same on every machine
// whatever fonts it has installed. Node only: the WebAssembly module and the font are read from
// the installed packages.

import type { Image } from '../image.js';

type Resvg = typeof import('@resvg/resvg-wasm').Resvg;

export interface RasterizeOptions {
  /** CSS colour under transparent parts; default white (PNG charts are opaque). */
  background?: string;
  /** 'crisp' turns off anti-aliasing of shapes (sharp frames on pixel boundaries); default smooth. */
  shapes?: 'smooth' | 'crisp';
}

let ready: Promise<{ Resvg: Resvg; font: Uint8Array }> | undefined;

/** Loads the WebAssembly module and the font once per process. */
function load(): Promise<{ Resvg: Resvg; font: Uint8Array }> {
  ready ??= (async () => {
    const [{ readFile }, { createRequire }, resvg] = await Promise.all([
      import('node:fs/promises'),
      import('node:module'),
      import('@resvg/resvg-wasm'),
    ]);
    const require = createRequire(import.meta.url);
    const [wasm, font] = await Promise.all([
      readFile(require.resolve('@resvg/resvg-wasm/index_bg.wasm')),
      readFile(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf')),
    ]);
    try {
      await resvg.initWasm(wasm);
    } catch (error) {
      // Another copy of this module (a bundle, a test runner's fresh module graph) in the same
      // process may have initialised the shared WebAssembly instance already.
      if (!String((error as Error).message).includes('Already initialized')) throw error;
    }
    return { Resvg: resvg.Resvg, font: new Uint8Array(font) };
  })();
  return ready;
}

function render(
  Resvg: Resvg,
  font: Uint8Array,
  svg: string,
  options: RasterizeOptions,
): InstanceType<Resvg> {
  return new Resvg(svg, {
    background: options.background ?? 'white',
    font: {
      fontBuffers: [font],
      defaultFontFamily: 'DejaVu Sans',
      sansSerifFamily: 'DejaVu Sans',
    },
    shapeRendering: options.shapes === 'crisp' ? 1 : 2,
    // Embedded bitmaps (the figures' panels) are placed at their own size: copy, do not smooth.
    imageRendering: 1,
  });
}

/** The SVG drawn as RGBA pixels at its own width and height. */
export async function svgToImage(
  svg: string,
  options: RasterizeOptions = {},
): Promise<Image<Uint8Array>> {
  const { Resvg, font } = await load();
  const renderer = render(Resvg, font, svg, options);
  try {
    const rendered = renderer.render();
    try {
      return {
        width: rendered.width,
        height: rendered.height,
        channels: 4,
        data: new Uint8Array(rendered.pixels),
      };
    } finally {
      rendered.free();
    }
  } finally {
    renderer.free();
  }
}

/** The SVG drawn as PNG bytes (resvg's own encoder). */
export async function svgToPng(svg: string, options: RasterizeOptions = {}): Promise<Uint8Array> {
  const { Resvg, font } = await load();
  const renderer = render(Resvg, font, svg, options);
  try {
    const rendered = renderer.render();
    try {
      return rendered.asPng();
    } finally {
      rendered.free();
    }
  } finally {
    renderer.free();
  }
}
