// Looking inside the model, in the model worker: every layer's output for one image (through
// @convoy/layers' layerOutputs, the forward predict runs), the first convolution's filters, and
// the model's verdict on the test set. Inference only, on the model worker's own thread: each is
// small next to a training step, and runs between steps when training.

import { type FashionMnist, toImageTensor } from '@convoy/data';
import { Conv2D, layerOutputs, type Sequential } from '@convoy/layers';
import { Tensor } from '@convoy/tensor';
import type { Inspection, Subject, TestReport } from './protocol.js';
import { testReport } from './test-report.js';

const PIXELS = 28 * 28;

function pixelsOf(subject: Subject, data: FashionMnist | null): Uint8Array {
  if (subject.kind === 'drawing') return subject.pixels;
  if (!data) throw new Error('test images need Fashion-MNIST, which is not available');
  const { index } = subject;
  return data.test.images.data.slice(index * PIXELS, (index + 1) * PIXELS);
}

/** Pixels 0..255 to the model's input, [1, 28, 28, 1] in [0, 1], exactly as for training. */
export function modelInput(pixels: Uint8Array): Tensor<'float32'> {
  return toImageTensor(new Tensor(pixels, [1, 28, 28], 'uint8'));
}

export async function inspect(
  model: Sequential,
  subject: Subject,
  data: FashionMnist | null,
  moment: string,
): Promise<Inspection> {
  const pixels = pixelsOf(subject, data);
  const outputs = await layerOutputs(model, modelInput(pixels));
  const layers = outputs.map(({ name, className, output }) => ({
    name,
    className,
    shape: output.shape.slice(1),
    values: output.data.slice(),
  }));
  const firstConvolution = model.layers.find((layer) => layer instanceof Conv2D);
  const kernel = firstConvolution?.weights.find((weight) => weight.name === 'kernel')?.value;
  const inspection: Inspection = {
    subject,
    pixels,
    layers,
    probabilities: Array.from(layers.at(-1)!.values),
    moment,
  };
  if (subject.kind === 'test' && data) inspection.label = data.test.labels.data[subject.index]!;
  if (firstConvolution && kernel) {
    inspection.filters = {
      layer: firstConvolution.name,
      shape: [...kernel.shape],
      values: kernel.data.slice(),
    };
  }
  return inspection;
}

/** The model's predictions for the first `samples` test images, summed up. */
export async function reportOnTestSet(
  model: Sequential,
  data: FashionMnist,
  samples: number,
  moment: string,
): Promise<TestReport> {
  const count = Math.min(samples, data.test.labels.size);
  const images = data.test.images.data.subarray(0, count * PIXELS);
  const x = toImageTensor(new Tensor(images, [count, 28, 28], 'uint8'));
  const probabilities = await model.predict(x, { batchSize: 256 });
  const classes = probabilities.shape[1]!;
  return testReport(
    probabilities.data,
    classes,
    { images, labels: data.test.labels.data },
    { moment },
  );
}
