// Exact numbers after one and two steps. Each expected value is written out in float64 from the
// tf.keras 2 update formulas; the Keras docstring values (9.9, 0.9, 0.1 / 0.18, 9.683772) are the
// cross-check against real Keras output.

import { tensor } from '@convoy/tensor';
import { describe, expect, it } from 'vitest';
import { adam, rmsprop, sgd } from '../src/index.js';
import { expectFloat32Close, quadraticSteps } from './helpers.js';

describe('Keras docstring examples (loss = w^2 / 2)', () => {
  it('SGD lr=0.1 from 1.0 gives 0.9 (Keras), then 0.81', () => {
    expectFloat32Close(quadraticSteps(sgd({ learningRate: 0.1 }), 1, 2), [0.9, 0.81]);
  });

  it('SGD lr=0.1 momentum=0.9: steps of 0.1 then 0.18 (Keras)', () => {
    const [w1, w2] = quadraticSteps(sgd({ learningRate: 0.1, momentum: 0.9 }), 1, 2);
    expect(1 - w1!).toBeCloseTo(0.1, 6);
    expect(w1! - w2!).toBeCloseTo(0.18, 6);
    expectFloat32Close([w1!, w2!], [0.9, 0.72]);
  });

  it('SGD nesterov lr=0.1 momentum=0.9 from 1.0', () => {
    // v1 = -0.1; w1 = 1 + 0.9 * -0.1 - 0.1 = 0.81
    // v2 = 0.9 * -0.1 - 0.1 * 0.81 = -0.171; w2 = 0.81 + 0.9 * -0.171 - 0.1 * 0.81 = 0.5751
    expectFloat32Close(
      quadraticSteps(sgd({ learningRate: 0.1, momentum: 0.9, nesterov: true }), 1, 2),
      [0.81, 0.5751],
    );
  });

  it('Adam lr=0.1 from 10.0 gives 9.9 (Keras), then 9.80002751304515', () => {
    // t=1: m=1, v=0.1, lr_t = 0.1*sqrt(0.001)/0.1; w = 10 - lr_t * 1 / (sqrt(0.1) + 1e-7)
    const lr1 = (0.1 * Math.sqrt(1 - 0.999)) / (1 - 0.9);
    const w1 = 10 - (lr1 * 1) / (Math.sqrt(0.1) + 1e-7);
    const m2 = 0.9 * 1 + 0.1 * w1;
    const v2 = 0.999 * 0.1 + 0.001 * w1 * w1;
    const lr2 = (0.1 * Math.sqrt(1 - 0.999 ** 2)) / (1 - 0.9 ** 2);
    const w2 = w1 - (lr2 * m2) / (Math.sqrt(v2) + 1e-7);
    expect(w1).toBeCloseTo(9.9, 6);
    expect(w2).toBeCloseTo(9.80002751304515, 12);
    expectFloat32Close(quadraticSteps(adam({ learningRate: 0.1 }), 10, 2), [w1, w2]);
  });

  it('RMSprop lr=0.1 from 10.0 gives 9.683772 (Keras), then 9.457880262458568', () => {
    const ms1 = 0.1 * 100;
    const w1 = 10 - (0.1 * 10) / (Math.sqrt(ms1) + 1e-7);
    const ms2 = 0.9 * ms1 + 0.1 * w1 * w1;
    const w2 = w1 - (0.1 * w1) / (Math.sqrt(ms2) + 1e-7);
    expect(w1).toBeCloseTo(9.683772, 6);
    expect(w2).toBeCloseTo(9.457880262458568, 12);
    expectFloat32Close(quadraticSteps(rmsprop({ learningRate: 0.1 }), 10, 2), [w1, w2]);
  });

  it('RMSprop centered, momentum, and both: epsilon placement as in Keras kernels', () => {
    // Values computed in float64 from the formulas in src/rmsprop.ts's header.
    expectFloat32Close(
      quadraticSteps(rmsprop({ learningRate: 0.1, centered: true }), 10, 2),
      [9.666666677777778, 9.415901442887254],
    );
    expectFloat32Close(
      quadraticSteps(rmsprop({ learningRate: 0.1, momentum: 0.5 }), 10, 2),
      [9.683772235564302, 9.29976636726327],
    );
    expectFloat32Close(
      quadraticSteps(rmsprop({ learningRate: 0.1, momentum: 0.5, centered: true }), 10, 2),
      [9.666666668518518, 9.249234762344173],
    );
  });
});

describe('several elements and parameters', () => {
  const p0 = [0.5, -1.5, 2];
  const g1 = [0.1, -0.3, 0.0];
  const g2 = [-0.2, 0.4, 1e-3];

  it('Adam defaults (lr 1e-3, 0.9, 0.999, 1e-7) over two steps, elementwise', () => {
    const param = tensor(p0);
    const opt = adam();
    opt.step([{ param, grad: tensor(g1) }]);
    const after1 = p0.map((p, i) => {
      const m = 0.1 * g1[i]!;
      const v = 0.001 * g1[i]! ** 2;
      return p - ((1e-3 * Math.sqrt(0.001)) / 0.1) * (m / (Math.sqrt(v) + 1e-7));
    });
    expectFloat32Close(param.data, after1);
    opt.step([{ param, grad: tensor(g2) }]);
    const after2 = after1.map((p, i) => {
      const m = 0.9 * (0.1 * g1[i]!) + 0.1 * g2[i]!;
      const v = 0.999 * (0.001 * g1[i]! ** 2) + 0.001 * g2[i]! ** 2;
      const lr2 = (1e-3 * Math.sqrt(1 - 0.999 ** 2)) / (1 - 0.9 ** 2);
      return p - (lr2 * m) / (Math.sqrt(v) + 1e-7);
    });
    expectFloat32Close(param.data, after2);
    expect(opt.iterations).toBe(2);
  });

  it('Adam amsgrad keeps the largest second moment', () => {
    const param = tensor([1]);
    const opt = adam({ learningRate: 0.1, amsgrad: true });
    opt.step([{ param, grad: tensor([1]) }]);
    opt.step([{ param, grad: tensor([0.01]) }]);
    const w1 = 1 - ((0.1 * Math.sqrt(0.001)) / 0.1) * (0.1 / (Math.sqrt(0.001) + 1e-7));
    const m2 = 0.9 * 0.1 + 0.1 * 0.01;
    const v2 = 0.999 * 0.001 + 0.001 * 0.0001;
    const vhat2 = Math.max(0.001, v2);
    const w2 =
      w1 - ((0.1 * Math.sqrt(1 - 0.999 ** 2)) / (1 - 0.81)) * (m2 / (Math.sqrt(vhat2) + 1e-7));
    expectFloat32Close(param.data, [w2]);
    expect(opt.getState().slots.vhat?.[0]?.[0]).toBeCloseTo(vhat2, 9);
  });

  it('keeps separate slots per parameter', () => {
    const a = tensor([1, 1]);
    const b = tensor([[2], [2]]);
    const opt = sgd({ learningRate: 0.5, momentum: 0.5 });
    opt.step([
      { param: a, grad: tensor([1, 0]) },
      { param: b, grad: tensor([[0], [2]]) },
    ]);
    opt.step([
      { param: a, grad: tensor([1, 0]) },
      { param: b, grad: tensor([[0], [2]]) },
    ]);
    // a[0]: v1 = -0.5, w = 0.5; v2 = -0.25 - 0.5 = -0.75, w = -0.25. b[1]: v1 = -1, w = 1; v2 = -1.5, w = -0.5
    expectFloat32Close(a.data, [-0.25, 1]);
    expectFloat32Close(b.data, [2, -0.5]);
    expect(opt.getState().slots.momentum?.map((s) => Array.from(s))).toEqual([
      [-0.75, 0],
      [0, -1.5],
    ]);
  });
});
