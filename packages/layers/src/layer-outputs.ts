// Every layer's output for an input: what Keras gives with a model whose outputs are the
// intermediate layers, `tf.keras.Model(model.inputs, [layer.output for layer in model.layers])`.
// It is how feature maps are shown: the convolutions' channels, the pooled maps, the dense units.
//
// The same layer.forward calls predict makes, in inference mode (dropout off, batch normalization
// on its moving statistics), but without the buffers predict reuses from batch to batch: every
// returned tensor is the caller's own, so all of them can be kept at once.

import type { Executor } from '@convoy/ops';
import type { Tensor } from '@convoy/tensor';
import type { RunContext } from './layer.js';
import type { Model } from './model.js';
import { withExecutor } from './run-model.js';

export interface LayerOutput {
  /** The layer's name in the model: `conv2d`, `max_pooling2d`, … */
  name: string;
  /** Its Keras class: `Conv2D`, `MaxPooling2D`, `Flatten`, `Dense`, … */
  className: string;
  /** Its output for the whole input batch, e.g. [batch, 28, 28, 32] for a Conv2D. */
  output: Tensor<'float32'>;
}

export interface LayerOutputsOptions {
  /** 1 (default) runs on this thread; more starts that many worker threads for this call. */
  workers?: number;
  /** Use this executor instead (it is not closed at the end). */
  executor?: Executor;
}

/** The output of each of `model.layers` for `x` (the InputLayer has none, as in tf.keras). */
export async function layerOutputs(
  model: Model,
  x: Tensor,
  options: LayerOutputsOptions = {},
): Promise<LayerOutput[]> {
  model.ensureBuiltFor(x);
  return withExecutor(options, 'layerOutputs', async (executor) => {
    const context: RunContext = { training: false, executor, rng: model.trainingRng };
    const outputs: LayerOutput[] = [];
    let activation = x as Tensor<'float32'>;
    for (const layer of model.layers) {
      activation = await layer.forward(activation, context);
      outputs.push({ name: layer.name, className: layer.className, output: activation });
    }
    return outputs;
  });
}
