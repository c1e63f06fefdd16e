// Keras's InputLayer: declares the shape of one example. It holds no weights and does no work,
// and (as in tf.keras) it is not listed in `model.layers` or in the summary.

export interface InputArgs {
  /** The shape of one example, without the batch axis: [28, 28, 1]. */
  shape: readonly number[];
  name?: string;
}

export class InputLayer {
  readonly className = 'InputLayer';
  readonly shape: readonly number[];
  name: string;

  constructor(args: InputArgs) {
    if (
      !Array.isArray(args?.shape) ||
      args.shape.length === 0 ||
      !args.shape.every((dim) => Number.isSafeInteger(dim) && dim > 0)
    ) {
      throw new RangeError(
        `input: shape must be a non-empty array of positive integers (one example, without the batch axis), got ${JSON.stringify(args?.shape)}`,
      );
    }
    this.shape = [...args.shape];
    this.name = args.name ?? '';
  }

  getConfig(): Record<string, unknown> {
    return {
      batch_input_shape: [null, ...this.shape],
      dtype: 'float32',
      sparse: false,
      ragged: false,
      name: this.name,
    };
  }
}

export function input(args: InputArgs): InputLayer {
  return new InputLayer(args);
}
