// Where the learner gives the model a picture of their own: draw an item with the mouse (or a
// finger), or drop or pick a photo. Either is turned to 28×28 gray as Fashion-MNIST's images are
// (toModelInput), shown as the model sees it, and handed on to be classified.

import { type Image, toGray } from '@convoy/vision';
import { button, el } from '../ui/dom.js';
import { drawPixels } from '../ui/heat-canvas.js';
import { toModelInput } from './to-model-input.js';

const PAD_SIZE = 224;
const BRUSH_WIDTH = 18;
/** Photos are scaled down to this before trimming: plenty for a 28×28 result. */
const MAX_PICTURE_SIDE = 448;

/** A picture file as gray bytes; transparent parts count as white, like a product photo's. */
async function grayFromFile(file: Blob & { name?: string }): Promise<Image<Uint8Array>> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch (error) {
    throw new Error(
      `cannot decode ${file.name ?? 'the file'} as an image (${file.type || 'unknown type'}): pick a PNG, JPEG or WebP`,
      { cause: error },
    );
  }
  const scale = Math.min(1, MAX_PICTURE_SIDE / Math.max(bitmap.width, bitmap.height));
  const width = Math.max(1, Math.round(bitmap.width * scale));
  const height = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('this browser gives no 2D canvas context');
  context.fillStyle = 'white';
  context.fillRect(0, 0, width, height);
  context.drawImage(bitmap, 0, 0, width, height);
  bitmap.close();
  const rgba = context.getImageData(0, 0, width, height).data;
  return toGray({
    width,
    height,
    channels: 4,
    data: new Uint8Array(rgba.buffer, rgba.byteOffset, rgba.length),
  });
}

export class SketchPad {
  readonly element: HTMLElement;
  private readonly pad = el('canvas', {
    class: 'sketch',
    testId: 'sketch-pad',
    attrs: { width: String(PAD_SIZE), height: String(PAD_SIZE) },
  });
  private readonly preview = el('canvas', {
    class: 'subject-image',
    testId: 'sketch-preview',
    attrs: { width: '28', height: '28' },
  });
  private readonly message = el('p', { class: 'status', testId: 'sketch-status' });
  private readonly context: CanvasRenderingContext2D;

  /** `classify` gets the 784 bytes the model will see. */
  constructor(private readonly classify: (pixels: Uint8Array) => void) {
    const context = this.pad.getContext('2d', { willReadFrequently: true });
    if (!context) throw new Error('this browser gives no 2D canvas context');
    this.context = context;
    // Made now, not while a model trains: making a 2D context is costly (see ui/tiles.ts).
    this.preview.getContext('2d');
    this.clear();
    this.listenForStrokes();

    const clearButton = button('Clear', 'sketch-clear');
    clearButton.addEventListener('click', () => this.clear());
    const fileInput = el('input', {
      testId: 'sketch-file',
      attrs: { type: 'file', accept: 'image/*' },
    });
    fileInput.addEventListener('change', () => {
      const file = fileInput.files?.[0];
      if (file) void this.usePicture(file);
      fileInput.value = '';
    });
    const dropZone = el(
      'label',
      { class: 'drop-zone' },
      'Drop a photo of a piece of clothing, a shoe or a bag here, or pick one: ',
      fileInput,
    );
    dropZone.addEventListener('dragover', (event) => {
      event.preventDefault();
      dropZone.classList.add('over');
    });
    dropZone.addEventListener('dragleave', () => dropZone.classList.remove('over'));
    dropZone.addEventListener('drop', (event) => {
      event.preventDefault();
      dropZone.classList.remove('over');
      const file = event.dataTransfer?.files[0];
      if (file) void this.usePicture(file);
    });
    this.message.textContent = 'Draw an item in white on the black square.';
    this.element = el(
      'div',
      { class: 'panel-section' },
      el('h3', { text: 'Your own picture' }),
      el(
        'div',
        { class: 'sketch-row' },
        el('figure', {}, this.pad, el('figcaption', {}, clearButton)),
        el('div', { class: 'operator', text: '→' }),
        el('figure', {}, this.preview, el('figcaption', { text: 'as the model sees it (28×28)' })),
      ),
      dropZone,
      this.message,
    );
  }

  private clear(): void {
    this.context.fillStyle = 'black';
    this.context.fillRect(0, 0, PAD_SIZE, PAD_SIZE);
  }

  private listenForStrokes(): void {
    let drawing = false;
    const point = (event: PointerEvent) => {
      const box = this.pad.getBoundingClientRect();
      return [
        ((event.clientX - box.left) * PAD_SIZE) / box.width,
        ((event.clientY - box.top) * PAD_SIZE) / box.height,
      ] as const;
    };
    this.pad.addEventListener('pointerdown', (event) => {
      drawing = true;
      this.pad.setPointerCapture(event.pointerId);
      const [x, y] = point(event);
      this.context.strokeStyle = 'white';
      this.context.lineWidth = BRUSH_WIDTH;
      this.context.lineCap = this.context.lineJoin = 'round';
      this.context.beginPath();
      this.context.moveTo(x, y);
      this.context.lineTo(x, y);
      this.context.stroke();
    });
    this.pad.addEventListener('pointermove', (event) => {
      if (!drawing) return;
      const [x, y] = point(event);
      this.context.lineTo(x, y);
      this.context.stroke();
    });
    const end = () => {
      if (!drawing) return;
      drawing = false;
      const rgba = this.context.getImageData(0, 0, PAD_SIZE, PAD_SIZE).data;
      const gray = new Uint8Array(PAD_SIZE * PAD_SIZE);
      for (let i = 0; i < gray.length; i++) gray[i] = rgba[4 * i]!;
      this.use(toModelInput({ width: PAD_SIZE, height: PAD_SIZE, data: gray }), 'your drawing');
    };
    this.pad.addEventListener('pointerup', end);
    this.pad.addEventListener('pointercancel', end);
  }

  private async usePicture(file: File): Promise<void> {
    try {
      const gray = await grayFromFile(file);
      this.use(toModelInput(gray), file.name);
    } catch (error) {
      this.message.textContent = error instanceof Error ? error.message : String(error);
    }
  }

  private use(pixels: Uint8Array, source: string): void {
    drawPixels(this.preview, pixels);
    this.message.textContent = `Classifying ${source}: see the probabilities above.`;
    this.classify(pixels);
  }
}
