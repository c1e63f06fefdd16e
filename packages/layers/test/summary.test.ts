// model.summary() against the tf.keras 2.x text for the book's three models, byte for byte, and
// the parameter counts the book explains.

import { describe, expect, it } from 'vitest';
import {
  avgPooling2d,
  batchNormalization,
  dense,
  dropout,
  flatten,
  formatThousands,
  input,
  sequential,
  textbookModel,
} from '../src/index.js';

const rule = '_'.repeat(65);
const double = '='.repeat(65);

function quiet(model: { summary(o: { printFn: (line: string) => void }): string }): string {
  return model.summary({ printFn: () => {} });
}

describe('summary of the textbook models (tf.keras 2.x layout)', () => {
  it('model 1: Conv2D-Conv2D-MaxPooling2D-Flatten-Dense-Dense, 1,625,866 params', () => {
    const expected = [
      'Model: "sequential"',
      rule,
      'Layer (type)                 Output Shape              Param #   ',
      double,
      'conv2d (Conv2D)              (None, 28, 28, 32)        320       ',
      rule,
      'conv2d_1 (Conv2D)            (None, 28, 28, 64)        18496     ',
      rule,
      'max_pooling2d (MaxPooling2D) (None, 14, 14, 64)        0         ',
      rule,
      'flatten (Flatten)            (None, 12544)             0         ',
      rule,
      'dense (Dense)                (None, 128)               1605760   ',
      rule,
      'dense_1 (Dense)              (None, 10)                1290      ',
      double,
      'Total params: 1,625,866',
      'Trainable params: 1,625,866',
      'Non-trainable params: 0',
      rule,
    ].join('\n');
    expect(quiet(textbookModel(1))).toBe(expected);
  });

  it('model 2: Conv2D(32)-MaxPooling2D-Flatten-Dense, 63,050 params', () => {
    const expected = [
      'Model: "sequential"',
      rule,
      'Layer (type)                 Output Shape              Param #   ',
      double,
      'conv2d (Conv2D)              (None, 28, 28, 32)        320       ',
      rule,
      'max_pooling2d (MaxPooling2D) (None, 14, 14, 32)        0         ',
      rule,
      'flatten (Flatten)            (None, 6272)              0         ',
      rule,
      'dense (Dense)                (None, 10)                62730     ',
      double,
      'Total params: 63,050',
      'Trainable params: 63,050',
      'Non-trainable params: 0',
      rule,
    ].join('\n');
    expect(quiet(textbookModel(2))).toBe(expected);
  });

  it('model 3: Conv2D(2)-MaxPooling2D-Flatten-Dense, 3,950 params', () => {
    const expected = [
      'Model: "sequential"',
      rule,
      'Layer (type)                 Output Shape              Param #   ',
      double,
      'conv2d (Conv2D)              (None, 28, 28, 2)         20        ',
      rule,
      'max_pooling2d (MaxPooling2D) (None, 14, 14, 2)         0         ',
      rule,
      'flatten (Flatten)            (None, 392)               0         ',
      rule,
      'dense (Dense)                (None, 10)                3930      ',
      double,
      'Total params: 3,950',
      'Trainable params: 3,950',
      'Non-trainable params: 0',
      rule,
    ].join('\n');
    expect(quiet(textbookModel(3))).toBe(expected);
  });

  it('prints each line through printFn and every line is 65 wide except the texts', () => {
    const lines: string[] = [];
    const text = textbookModel(2).summary({ printFn: (line) => lines.push(line) });
    expect(lines.join('\n')).toBe(text);
    expect(lines.filter((l) => l.length === 65)).toHaveLength(lines.length - 4);
  });

  it('counts parameters per layer and in total as the book does', () => {
    const counts = (n: 1 | 2 | 3) => textbookModel(n).layers.map((l) => l.countParams());
    expect(counts(1)).toEqual([
      3 * 3 * 1 * 32 + 32,
      3 * 3 * 32 * 64 + 64,
      0,
      0,
      12544 * 128 + 128,
      128 * 10 + 10,
    ]);
    expect(counts(2)).toEqual([320, 0, 0, 6272 * 10 + 10]);
    expect(counts(3)).toEqual([20, 0, 0, 392 * 10 + 10]);
    expect(textbookModel(1).countParams()).toBe(1625866);
    expect(textbookModel(2).countParams()).toBe(63050);
    expect(textbookModel(3).countParams()).toBe(3950);
  });

  it('reports batch normalization statistics as non-trainable, names repeated layers _1, _2', () => {
    const model = sequential([
      input({ shape: [8, 8, 3] }),
      avgPooling2d({ poolSize: 2 }),
      batchNormalization(),
      flatten(),
      dense({ units: 4, activation: 'relu' }),
      dropout({ rate: 0.5 }),
      dense({ units: 4 }),
      dense({ units: 2, activation: 'softmax' }),
    ]);
    const text = quiet(model);
    // Keras cuts a long name at the column and overwrites its last character with a space.
    expect(text).toContain('average_pooling2d (AveragePo (None, 4, 4, 3)           0         ');
    expect(text).toContain('batch_normalization (BatchNo (None, 4, 4, 3)           12        ');
    expect(text).toContain('dropout (Dropout)            (None, 4)                 0         ');
    expect(model.layers.map((l) => l.name)).toEqual([
      'average_pooling2d',
      'batch_normalization',
      'flatten',
      'dense',
      'dropout',
      'dense_1',
      'dense_2',
    ]);
    const trainable = 3 + 3 + (48 * 4 + 4) + (4 * 4 + 4) + (4 * 2 + 2);
    expect(text).toContain(`Total params: ${formatThousands(trainable + 6)}\n`);
    expect(text).toContain(`Trainable params: ${formatThousands(trainable)}\n`);
    expect(text).toContain('Non-trainable params: 6\n');
  });

  it('textbookModel knows only the three models of the book', () => {
    expect(() => textbookModel(4 as 1)).toThrow(
      'textbookModel: the book has models 1, 2 and 3, got 4',
    );
  });

  it('formats thousands like Python', () => {
    expect(formatThousands(0)).toBe('0');
    expect(formatThousands(999)).toBe('999');
    expect(formatThousands(1000)).toBe('1,000');
    expect(formatThousands(1625866)).toBe('1,625,866');
    expect(formatThousands(1234567890)).toBe('1,234,567,890');
  });

  it('refuses to summarize a model that does not know its input shape', () => {
    const model = sequential([dense({ units: 3 })]);
    expect(() => quiet(model)).toThrow('This model has not yet been built');
  });
});
