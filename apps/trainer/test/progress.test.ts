// The Keras 2 progress line, character for character, and the bar's drawing behaviour.

import { describe, expect, it } from 'vitest';
import {
  formatBar,
  formatEpochHeader,
  formatEta,
  formatProgressLine,
  formatStepTime,
  ProgressBar,
} from '../src/progress.js';
import { formatExponential, formatFixed, formatMetric } from '../src/pyformat.js';

describe('Python number formatting', () => {
  it('rounds exact ties to even like %.0f and %.4f', () => {
    expect(formatFixed(2.5, 0)).toBe('2');
    expect(formatFixed(3.5, 0)).toBe('4');
    expect(formatFixed(-2.5, 0)).toBe('-2');
    expect(formatFixed(0.03125, 4)).toBe('0.0312');
    expect(formatFixed(0.09375, 4)).toBe('0.0938');
    expect(formatFixed(0.8744, 4)).toBe('0.8744');
    expect(formatFixed(73.49, 0)).toBe('73');
  });

  it('writes %.4e with a two-digit signed exponent', () => {
    expect(formatExponential(0.000125, 4)).toBe('1.2500e-04');
    expect(formatExponential(12345, 4)).toBe('1.2345e+04');
    expect(formatExponential(0, 4)).toBe('0.0000e+00');
  });

  it('formats metrics like Keras: %.4f above 1e-3, %.4e at or below', () => {
    expect(formatMetric(0.3504)).toBe('0.3504');
    expect(formatMetric(0.0005)).toBe('5.0000e-04');
    expect(formatMetric(0.001)).toBe('1.0000e-03');
    expect(formatMetric(Number.NaN)).toBe('nan');
  });
});

describe('Keras progress line', () => {
  it('prints the epoch header', () => {
    expect(formatEpochHeader(1, 5)).toBe('Epoch 1/5');
  });

  it('draws the bar with a right-aligned counter and a > head while running', () => {
    expect(formatBar(1875, 1875)).toBe('1875/1875 [==============================]');
    expect(formatBar(32, 1875)).toBe('  32/1875 [..............................]');
    expect(formatBar(938, 1875)).toBe(` 938/1875 [${'='.repeat(14)}>${'.'.repeat(15)}]`);
    expect(formatBar(0, 313)).toBe('  0/313 [..............................]');
    expect(() => formatBar(1, 0)).toThrow(/target must be a positive integer, got 0/);
  });

  it("reproduces the textbook's finished epoch line exactly", () => {
    const line = formatProgressLine({
      current: 1875,
      target: 1875,
      elapsedSeconds: 73.2,
      secondsPerStep: 0.0389,
      metrics: [
        ['loss', 0.3504],
        ['accuracy', 0.8744],
      ],
    });
    expect(line).toBe(
      '1875/1875 [==============================] - 73s 39ms/step - loss: 0.3504 - accuracy: 0.8744',
    );
  });

  it("reproduces the textbook's evaluate line exactly", () => {
    const line = formatProgressLine({
      current: 313,
      target: 313,
      elapsedSeconds: 2.19,
      secondsPerStep: 0.007,
      metrics: [
        ['loss', 0.2573],
        ['accuracy', 0.924],
      ],
    });
    expect(line).toBe(
      '313/313 [==============================] - 2s 7ms/step - loss: 0.2573 - accuracy: 0.9240',
    );
  });

  it('shows the ETA while an epoch runs', () => {
    const line = formatProgressLine({
      current: 32,
      target: 1875,
      elapsedSeconds: 1.1,
      secondsPerStep: 0.034,
      metrics: [
        ['loss', 1.2345],
        ['accuracy', 0.5],
      ],
    });
    // 0.034 s * 1843 steps = 62.66 s -> 1:02
    expect(line).toBe(
      '  32/1875 [..............................] - ETA: 1:02 - loss: 1.2345 - accuracy: 0.5000',
    );
  });

  it('formats ETAs and step times with the Keras units', () => {
    expect(formatEta(45.7)).toBe('45s');
    expect(formatEta(60)).toBe('60s');
    expect(formatEta(62.9)).toBe('1:02');
    expect(formatEta(3725.4)).toBe('1:02:05');
    expect(formatStepTime(0.0389)).toBe('39ms/step');
    expect(formatStepTime(0.0005)).toBe('500us/step');
    expect(formatStepTime(2.5)).toBe('2s/step');
    expect(formatStepTime(0)).toBe('0s/step');
  });
});

function fakeOutput(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, output: { isTTY, write: (text: string) => writes.push(text) } };
}

function fakeClock(start = 100) {
  let time = start;
  return { now: () => time, advance: (seconds: number) => (time += seconds) };
}

describe('ProgressBar', () => {
  const metrics = [
    ['loss', 0.5],
    ['accuracy', 0.75],
  ] as const;

  it('writes only the finished line, once, when the output is not a terminal', () => {
    const { writes, output } = fakeOutput(false);
    const clock = fakeClock();
    const bar = new ProgressBar({ target: 4, output, now: clock.now });
    for (let step = 1; step <= 4; step++) {
      clock.advance(0.5);
      bar.update(step, metrics);
    }
    bar.update(4, metrics);
    expect(writes).toEqual([
      '4/4 [==============================] - 2s 500ms/step - loss: 0.5000 - accuracy: 0.7500\n',
    ]);
  });

  it('times a resumed epoch from the steps it ran, leaving out its first (start-up) step', () => {
    const { writes, output } = fakeOutput(false);
    const clock = fakeClock();
    const bar = new ProgressBar({ target: 10, output, now: clock.now, initial: 6 });
    clock.advance(3); // the replicas starting
    bar.update(7, metrics);
    for (let step = 8; step <= 10; step++) {
      clock.advance(0.25);
      bar.update(step, metrics);
    }
    expect(writes).toEqual([
      '10/10 [==============================] - 4s 250ms/step - loss: 0.5000 - accuracy: 0.7500\n',
    ]);
  });

  it('redraws in place on a terminal, throttled, padding over longer lines', () => {
    const { writes, output } = fakeOutput(true);
    const clock = fakeClock();
    const bar = new ProgressBar({ target: 10, output, now: clock.now, intervalSeconds: 0.05 });
    clock.advance(0.1);
    bar.update(1, [['loss', 12.3456]]);
    clock.advance(0.01); // within the interval: not drawn
    expect(bar.update(2, [['loss', 1]])).toBeUndefined();
    clock.advance(0.1);
    bar.update(3, [['loss', 1]]);
    clock.advance(0.7);
    bar.update(10, [['loss', 1]]);
    expect(writes).toEqual([
      '\r 1/10 [==>...........................] - ETA: 0s - loss: 12.3456',
      // One character shorter than the line before (loss: 1.0000), so one space covers its tail.
      '\r 3/10 [========>.....................] - ETA: 0s - loss: 1.0000 ',
      // Step time leaves out the slow first step: (100.91 - 100.1) / 9 = 90 ms.
      '\r10/10 [==============================] - 1s 90ms/step - loss: 1.0000\n',
    ]);
    expect(bar.update(10, [['loss', 1]])).toBeUndefined();
  });
});
