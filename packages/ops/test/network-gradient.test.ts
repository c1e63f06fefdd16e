// A whole small CNN differentiated by hand, op by op, checked against central differences of its
// loss: conv (same) -> bias -> relu -> 2x2 max pool -> flatten -> dense -> bias -> softmax
// cross-entropy. This is what a layer stack will do, so it checks that the backwards compose
// (shapes, scaling by 1/batch, routing through pooling) and not only that each is right alone.

import { ones, tensor } from '@convoy/tensor';
import { describe, it } from 'vitest';
import * as ops from '../src/index.js';
import { expectGradient, sampleIndices } from './helpers/gradient.js';
import { randomTensor } from './helpers/random.js';

type Ops = Pick<
  typeof ops.reference,
  | 'conv2d'
  | 'conv2dBackpropInput'
  | 'conv2dBackpropFilter'
  | 'biasAdd'
  | 'biasAddBackward'
  | 'relu'
  | 'reluBackward'
  | 'maxPool2d'
  | 'maxPool2dBackward'
  | 'matMul'
  | 'matMulBackward'
  | 'sparseSoftmaxCrossEntropy'
>;
const implementations: { name: string; o: Ops }[] = [
  { name: 'active backend', o: ops },
  { name: 'reference', o: ops.reference },
];

describe.each(implementations)(
  'whole-network gradient ($name): conv -> relu -> maxpool -> flatten -> dense -> cross-entropy',
  ({ o }) => {
    const batch = 2;
    const x = randomTensor([batch, 6, 6, 2], 1);
    const filter = randomTensor([3, 3, 2, 3], 2, { min: -0.5, max: 0.5 });
    const convBias = randomTensor([3], 3, { min: -0.1, max: 0.1 });
    const weights = randomTensor([27, 4], 4, { min: -0.5, max: 0.5 });
    const denseBias = randomTensor([4], 5, { min: -0.1, max: 0.1 });
    const labels = tensor([1, 3], [batch], 'int32');
    const convOptions = { padding: 'same' as const };

    function forward() {
      const preActivation = o.biasAdd(o.conv2d(x, filter, convOptions), convBias);
      const activation = o.relu(preActivation);
      const pooled = o.maxPool2d(activation, { poolSize: 2 });
      const flat = pooled.reshape([batch, 27]);
      const logits = o.biasAdd(o.matMul(flat, weights), denseBias);
      return { preActivation, activation, pooled, flat, logits };
    }

    const loss = () => o.sparseSoftmaxCrossEntropy(forward().logits, labels).loss;

    // Backward, in reverse order of the forward.
    const { preActivation, activation, pooled, flat, logits } = forward();
    const { dLogits } = o.sparseSoftmaxCrossEntropy(logits, labels);
    const dDenseBias = o.biasAddBackward(dLogits);
    const { da: dFlat, db: dWeights } = o.matMulBackward(dLogits, flat, weights);
    const dActivation = o.maxPool2dBackward(dFlat.reshape(pooled.shape), activation, {
      poolSize: 2,
    });
    const dPreActivation = o.reluBackward(dActivation, preActivation);
    const dConvBias = o.biasAddBackward(dPreActivation);
    const dFilter = o.conv2dBackpropFilter(x, dPreActivation, filter.shape, convOptions);
    const dx = o.conv2dBackpropInput(dPreActivation, filter, x.shape, convOptions);

    // Relu and max pooling make the loss piecewise smooth: a filter entry moves every
    // pre-activation, so a step can cross a kink, where a central difference is meaningless. The
    // piece signature (which pre-activations are positive, which pixels win the pools) lets the
    // checker see that and retry with a smaller step. Within a piece the loss is smooth, so the
    // step can be large enough to drown float32 noise: the loss, float64 from float32 activations,
    // jitters by ~1e-7, which is ~5e-6 in a central difference with step 1e-2; truncation is
    // step²/6·|f'''| ≈ 2e-5·|f'''|. atol 1e-4 and rtol 1e-2 sit well above both.
    const piece = () => {
      const { preActivation, activation } = forward();
      const winners = o.maxPool2dBackward(ones(pooled.shape), activation, { poolSize: 2 });
      return Array.from(preActivation.data, (v): number => (v > 0 ? 1 : 0)).concat(
        Array.from(winners.data),
      );
    };
    const tolerance = { epsilon: 1e-2, piece, atol: 1e-4, rtol: 1e-2 };

    it.each([
      {
        name: 'conv filter [3,3,2,3]',
        values: filter.data,
        analytic: dFilter.data,
        indices: undefined,
      },
      {
        name: 'conv bias [3]',
        values: convBias.data,
        analytic: dConvBias.data,
        indices: undefined,
      },
      {
        name: 'dense weights [27,4]',
        values: weights.data,
        analytic: dWeights.data,
        indices: sampleIndices(108, 40, 6),
      },
      {
        name: 'dense bias [4]',
        values: denseBias.data,
        analytic: dDenseBias.data,
        indices: undefined,
      },
      {
        name: 'input x [2,6,6,2]',
        values: x.data,
        analytic: dx.data,
        indices: sampleIndices(144, 48, 7),
      },
    ])('d loss / d $name matches central differences', ({ values, analytic, indices }) => {
      expectGradient({ loss, values, analytic, indices, ...tolerance });
    });
  },
);
