// The kernel lab: the textbook's 517_1/517_2 figures, live. A picture goes to gray, is filtered
// with the chosen kernel (zero padding, results clipped to 0..255 like the chapter's np.clip)
// and then max pooled 2×2, shown side by side as gray | convolution | max_pooled.

import { filter2dSync, type Kernel, maxPool } from '@convoy/vision';
import { el } from '../ui/dom.js';
import { drawGray } from '../ui/gray-canvas.js';
import { type LabPicture, pictureFromFile, samplePicture } from './image-source.js';
import { kernelEditor } from './kernel-editor.js';

function figure(caption: HTMLElement, canvas: HTMLCanvasElement): HTMLElement {
  return el('figure', {}, canvas, caption);
}

export function kernelLabView(): HTMLElement {
  const grayCanvas = el('canvas', { testId: 'lab-gray' });
  const convolutionCanvas = el('canvas', { testId: 'lab-convolution' });
  const pooledCanvas = el('canvas', { testId: 'lab-pooled' });
  const grayCaption = el('figcaption', { text: 'gray' });
  const convolutionCaption = el('figcaption', { text: 'convolution' });
  const pooledCaption = el('figcaption', { text: 'max_pooled' });
  const status = el('p', {
    class: 'status',
    testId: 'lab-status',
    text: 'Loading the sample picture…',
  });
  const fileInput = el('input', { testId: 'lab-file', attrs: { type: 'file', accept: 'image/*' } });
  const sampleButton = el('button', {
    class: 'button',
    text: 'Sample picture',
    attrs: { type: 'button' },
  });
  const dropZone = el(
    'div',
    { class: 'drop-zone' },
    el('div', { text: 'Drop an image here, or' }),
    fileInput,
  );

  let picture: LabPicture | undefined;
  const editor = kernelEditor(() => render());

  function render(): void {
    if (!picture) return;
    const kernel: Kernel = editor.current();
    const started = performance.now();
    try {
      const convolution = filter2dSync(picture.gray, kernel, { padding: 'zero', clip: true });
      const pooled = maxPool(convolution, { size: 2 });
      const elapsed = performance.now() - started;
      drawGray(grayCanvas, picture.gray);
      drawGray(convolutionCanvas, convolution);
      drawGray(pooledCanvas, pooled);
      const { width, height } = picture.gray;
      grayCaption.textContent = `gray ${width}×${height}`;
      convolutionCaption.textContent = `convolution ${convolution.width}×${convolution.height}`;
      pooledCaption.textContent = `max_pooled ${pooled.width}×${pooled.height}`;
      const scaled = picture.scaledFrom
        ? ` (scaled down from ${picture.scaledFrom.width}×${picture.scaledFrom.height})`
        : '';
      status.textContent = `${picture.name}${scaled}: ${kernel.name} kernel, filter + pool in ${elapsed.toFixed(1)} ms.`;
      status.dataset.rendered = kernel.name;
    } catch (error) {
      status.textContent = error instanceof Error ? error.message : String(error);
    }
  }

  async function load(source: Promise<LabPicture>): Promise<void> {
    try {
      picture = await source;
      render();
    } catch (error) {
      status.textContent = error instanceof Error ? error.message : String(error);
    }
  }

  fileInput.addEventListener('change', () => {
    const file = fileInput.files?.[0];
    if (file) void load(pictureFromFile(file));
  });
  sampleButton.addEventListener('click', () => void load(samplePicture()));
  dropZone.addEventListener('dragover', (event) => {
    event.preventDefault();
    dropZone.classList.add('over');
  });
  dropZone.addEventListener('dragleave', () => dropZone.classList.remove('over'));
  dropZone.addEventListener('drop', (event) => {
    event.preventDefault();
    dropZone.classList.remove('over');
    const file = event.dataTransfer?.files[0];
    if (file) void load(pictureFromFile(file));
  });
  void load(samplePicture());

  return el(
    'section',
    { class: 'view', testId: 'view-kernels' },
    el('h2', { text: 'Kernel lab' }),
    el('p', {
      class: 'lead',
      text:
        'Pick a kernel or type your own weights. The picture is turned to gray, convolved with the kernel ' +
        '(zero padding, results clipped to 0…255) and then max pooled 2×2, as in the textbook’s figures.',
    }),
    el(
      'div',
      { class: 'lab' },
      el(
        'div',
        { class: 'panel' },
        editor.element,
        el('h3', { text: 'Picture' }),
        sampleButton,
        dropZone,
      ),
      el(
        'div',
        {},
        el(
          'div',
          { class: 'images' },
          figure(grayCaption, grayCanvas),
          figure(convolutionCaption, convolutionCanvas),
          figure(pooledCaption, pooledCanvas),
        ),
        status,
      ),
    ),
  );
}
