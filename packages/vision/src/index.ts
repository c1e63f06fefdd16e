// @convoy/vision: the chapter's classic image filtering — PNG in and out, gray conversion as
// OpenCV does it, a catalogue of named kernels, filtering on @convoy/ops conv2d (on one thread or
// across the worker pool), pooling, and labelled side-by-side figures (ECharts + resvg, with
// DejaVu Sans). The charts themselves live in '@convoy/vision/chart'.

export { type RasterizeOptions, svgToImage, svgToPng } from './chart/rasterize.js';
export { type FigureOptions, figure, figureSvg } from './figure.js';
export {
  BAND_MIN_PIXELS,
  defaultBands,
  type Filter2dAsyncOptions,
  type Filter2dOptions,
  filter2d,
  filter2dSync,
} from './filter.js';
export { GRAY_SHIFT, GRAY_WEIGHTS, toGray } from './gray.js';
export {
  assertImage,
  type Channels,
  createImage,
  extractChannel,
  type GrayImage,
  hasAlpha,
  type Image,
  type PixelData,
  type PixelType,
  pixelTypeOf,
  type ToUint8Options,
  toUint8,
} from './image.js';
export {
  type CustomKernelOptions,
  customKernel,
  formatKernel,
  getKernel,
  type Kernel,
  kernelNames,
  kernelSize,
  listKernels,
  parseKernel,
  validateKernel,
} from './kernels.js';
export { PADDING_MODES, type PaddingMode, sourceIndex } from './padding.js';
export {
  decodePng,
  type EncodePngOptions,
  encodePng,
  MAX_PNG_PIXELS,
  readPng,
  writePng,
} from './png.js';
export { avgPool, type ImagePoolingOptions, maxPool } from './pooling.js';
export * as reference from './reference.js';
export { type DrawCubeOptions, drawCube, loadSample, SAMPLE_PICTURE_URL } from './sample.js';
