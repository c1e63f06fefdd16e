// Conv2D: a bank of learned filters slid over NHWC images (HWIO kernel), plus a bias per filter
// and an activation. Forward and both gradients run on the executor, which may split them over
// the batch across worker threads.
//
// In a data-parallel replica the filter and bias gradients are 'per-example': the filters are
// small next to a batch of activations (18k floats for the textbook's second layer against 1.6M
// of its input and output gradient), so each example's gradient goes to its own slot and the
// engine sums the slots in example order, whichever replica computed them.

import type { Padding } from '@convoy/ops';
import * as ops from '@convoy/ops';
import { type Rng, Tensor } from '@convoy/tensor';
import { type ActivationName, checkActivation } from '../activations.js';
import {
  type ActivationRecord,
  activationAndBiasGradients,
  addBiasAndActivate,
  convEpilogueFor,
  convPrologueFor,
  fusedRecord,
} from '../bias-activation.js';
import { initialize, initializerConfig } from '../initializers.js';
import {
  type BackwardOptions,
  type BackwardResult,
  Layer,
  type LayerArgs,
  type LayerWeight,
  type ReplicaStep,
  type RunContext,
} from '../layer.js';
import { expectLastAxis, expectMinNdim, expectNdim, type SymbolicShape } from '../shape.js';
import { type PairArg, pairOf, windowOutputSize } from './window.js';

export interface Conv2dArgs extends LayerArgs {
  filters: number;
  kernelSize: PairArg;
  strides?: PairArg;
  padding?: 'same' | 'valid';
  dilationRate?: PairArg;
  activation?: ActivationName;
  useBias?: boolean;
}

export class Conv2D extends Layer {
  readonly className = 'Conv2D';
  readonly defaultName = 'conv2d';
  readonly filters: number;
  readonly kernelSize: [number, number];
  readonly strides: [number, number];
  readonly padding: 'same' | 'valid';
  readonly dilationRate: [number, number];
  readonly activation: ActivationName;
  readonly useBias: boolean;
  private lastInput: Tensor<'float32'> | undefined;
  private lastActivation: ActivationRecord | undefined;

  constructor(args: Conv2dArgs) {
    super(args);
    if (!Number.isSafeInteger(args.filters) || args.filters <= 0) {
      throw new RangeError(`conv2d: filters must be a positive integer, got ${args.filters}`);
    }
    this.filters = args.filters;
    this.kernelSize = pairOf(args.kernelSize, 'conv2d', 'kernelSize');
    this.strides = pairOf(args.strides ?? 1, 'conv2d', 'strides');
    this.dilationRate = pairOf(args.dilationRate ?? 1, 'conv2d', 'dilationRate');
    this.padding = checkKerasPadding(args.padding ?? 'valid', 'conv2d');
    this.activation = checkActivation(args.activation, 'conv2d');
    this.useBias = args.useBias ?? true;
  }

  private get opOptions(): ops.Conv2dOptions {
    return {
      strides: this.strides,
      padding: this.padding as Padding,
      dilations: this.dilationRate,
    };
  }

  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    expectMinNdim(this.name, inputShape, 4);
    expectNdim(this.name, inputShape, 4);
    const inputChannels = this.weights[0]?.value.shape[2];
    if (inputChannels !== undefined) expectLastAxis(this.name, inputShape, inputChannels);
    const [batch, height, width] = inputShape as [number | null, number, number, number];
    const effective = (k: number, d: number) => (k - 1) * d + 1;
    const outHeight = windowOutputSize(
      height,
      effective(this.kernelSize[0], this.dilationRate[0]),
      this.strides[0],
      this.padding,
    );
    const outWidth = windowOutputSize(
      width,
      effective(this.kernelSize[1], this.dilationRate[1]),
      this.strides[1],
      this.padding,
    );
    if (outHeight <= 0 || outWidth <= 0) {
      throw new RangeError(
        `layer "${this.name}": kernel ${this.kernelSize.join('x')} with padding '${this.padding}' does not fit an input of ${height}x${width}`,
      );
    }
    return [batch, outHeight, outWidth, this.filters];
  }

  protected override createWeights(inputShape: SymbolicShape, rng: Rng): void {
    if (this.weights.length > 0) return;
    const inputChannels = inputShape[3] as number;
    const kernelShape = [this.kernelSize[0], this.kernelSize[1], inputChannels, this.filters];
    const weights: LayerWeight[] = [
      { name: 'kernel', value: initialize('glorotUniform', kernelShape, rng), trainable: true },
    ];
    if (this.useBias) {
      weights.push({
        name: 'bias',
        value: initialize('zeros', [this.filters], rng),
        trainable: true,
      });
    }
    this.weights = weights;
  }

  async forward(x: Tensor<'float32'>, context: RunContext): Promise<Tensor<'float32'>> {
    this.requireBuilt();
    const kernel = this.weights[0]!.value;
    const bias = this.useBias ? this.weights[1]!.value : undefined;
    const epilogue = convEpilogueFor(bias, this.activation);
    let record: ActivationRecord;
    if (epilogue) {
      // Bias and activation are applied by the convolution kernel as it writes (in the workers).
      const options = { ...this.opOptions, ...epilogue };
      record = fusedRecord(
        await context.executor.run('conv2d', x, kernel, options),
        this.activation,
      );
    } else {
      const z = await context.executor.run('conv2d', x, kernel, this.opOptions);
      record = addBiasAndActivate(z, bias, this.activation);
    }
    if (context.training) {
      this.lastInput = x;
      this.lastActivation = record;
    }
    return record.output;
  }

  async backward(
    dy: Tensor<'float32'>,
    context: RunContext,
    options: BackwardOptions,
  ): Promise<BackwardResult> {
    const x = this.cached(this.lastInput);
    const kernel = this.weights[0]!.value;
    const record = this.cached(this.lastActivation);
    // A bias (and ReLU) the forward fused into the convolution is differentiated inside the
    // gradient kernels too, as they read dy; any other activation is a pass of its own first.
    const prologue = convPrologueFor(
      this.activation,
      this.useBias,
      record,
      options.gradientIsPreActivation,
    );
    let gradient = dy;
    let dBias: Tensor<'float32'> | undefined;
    const biasOut = prologue && new Float32Array(this.filters);
    if (!prologue) {
      ({ dz: gradient, dBias } = await activationAndBiasGradients(
        dy,
        this.activation,
        this.useBias,
        record,
        context.executor,
        options.gradientIsPreActivation,
      ));
    }
    if (context.replica) {
      const inputGradient = options.needInputGradient
        ? context.executor.run('conv2dBackpropInput', gradient, kernel, x.shape, {
            ...this.opOptions,
            ...prologue,
          })
        : Promise.resolve(undefined);
      this.exampleGradients(x, gradient, prologue, context.replica);
      return { dx: await inputGradient, grads: [] };
    }
    const kernelGradient = { ...this.opOptions, ...prologue, ...(biasOut && { biasOut }) };
    const inputGradient = { ...this.opOptions, ...prologue };
    // The filter and input gradients are independent: let the executor run them side by side.
    const [dKernel, dx] = await Promise.all([
      context.executor.run('conv2dBackpropFilter', x, gradient, kernel.shape, kernelGradient),
      options.needInputGradient
        ? context.executor.run('conv2dBackpropInput', gradient, kernel, x.shape, inputGradient)
        : Promise.resolve(undefined),
    ]);
    const grads = [dKernel];
    // The bias gradient is complete once the filter gradient's call has settled.
    if (biasOut) grads.push(new Tensor(biasOut, [this.filters], 'float32'));
    else if (dBias) grads.push(dBias);
    return { dx, grads };
  }

  override get supportsReplicas(): boolean {
    return true;
  }

  /**
   * Each example's filter (and bias) gradient into the replica's slots. `gradient` is dy when the
   * prologue differentiates the fused bias and ReLU on the fly, else dL/dz.
   */
  private exampleGradients(
    x: Tensor<'float32'>,
    gradient: Tensor<'float32'>,
    prologue: Pick<ops.Conv2dBackwardOptions, 'reluOutput'> | undefined,
    replica: ReplicaStep,
  ): void {
    const kernelShape = this.weights[0]!.value.shape;
    const biasOut = this.useBias ? replica.exampleGradients(this, 1) : undefined;
    ops.conv2dBackpropFilterPerExample(x, gradient, kernelShape, {
      ...this.opOptions,
      ...(prologue?.reluOutput && { reluOutput: prologue.reluOutput }),
      ...(prologue && biasOut && { biasOut }),
      out: replica.exampleGradients(this, 0),
    });
    if (prologue || !biasOut) return;
    // Without the prologue, gradient is dL/dz already: each example's bias gradient is its sum.
    const perExample = gradient.size / gradient.shape[0]!;
    for (let e = 0; e < replica.count; e++) {
      const dz = gradient.data.subarray(e * perExample, (e + 1) * perExample);
      biasOut.set(
        ops.biasAddBackward(new Tensor(dz, [perExample / this.filters, this.filters], 'float32'))
          .data,
        e * this.filters,
      );
    }
  }

  protected layerConfig(): Record<string, unknown> {
    return {
      filters: this.filters,
      kernel_size: [...this.kernelSize],
      strides: [...this.strides],
      padding: this.padding,
      data_format: 'channels_last',
      dilation_rate: [...this.dilationRate],
      groups: 1,
      activation: this.activation,
      use_bias: this.useBias,
      kernel_initializer: initializerConfig('glorotUniform'),
      bias_initializer: initializerConfig('zeros'),
      kernel_regularizer: null,
      bias_regularizer: null,
      activity_regularizer: null,
      kernel_constraint: null,
      bias_constraint: null,
    };
  }
}

/** A layer's `padding` argument: Keras's 'same' or 'valid' (ops also takes explicit pairs). */
export function checkKerasPadding(value: unknown, layer: string): 'same' | 'valid' {
  if (value !== 'same' && value !== 'valid') {
    throw new RangeError(`${layer}: padding must be 'same' or 'valid', got ${String(value)}`);
  }
  return value;
}

export function conv2d(args: Conv2dArgs): Conv2D {
  return new Conv2D(args);
}
