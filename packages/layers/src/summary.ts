// model.summary() as tf.keras 2.x prints it for a Sequential model (the textbook's table): total
// width 65, columns ending at 45% and 85% of it, rows separated by '_' lines, the header and the
// totals fenced by '=' lines. This is the layout of tf.keras 2.0–2.8 (layer_utils.print_summary),
// where a name like "max_pooling2d (MaxPooling2D)" stays on one line as the textbook shows it;
// later versions indent rows by one space and wrap long names.

import { formatKerasShape, type SymbolicShape } from './shape.js';

export interface SummaryRow {
  name: string;
  className: string;
  outputShape: SymbolicShape;
  params: number;
}

export interface SummaryInput {
  modelName: string;
  rows: readonly SummaryRow[];
  trainableParams: number;
  nonTrainableParams: number;
}

export interface SummaryOptions {
  /** Total width of the table; default 65, as Keras's for sequential models. */
  lineLength?: number;
  /** Column ends, as fractions of lineLength (or absolute when above 1); default [0.45, 0.85, 1]. */
  positions?: readonly number[];
  /** Called with each line; default console.log. */
  printFn?: (line: string) => void;
}

/** Python's `'{:,}'.format(n)`: thousands separated by commas, independent of the locale. */
export function formatThousands(value: number): string {
  const digits = String(Math.trunc(Math.abs(value)));
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return value < 0 ? `-${grouped}` : grouped;
}

/**
 * One row, the way Keras pads it: each field is appended after the previous column's last
 * character is replaced by a space (so a field that fills its column still gets separated), then
 * cut and padded to its column's end.
 */
function row(fields: readonly string[], positions: readonly number[]): string {
  let line = '';
  fields.forEach((field, i) => {
    if (i > 0) line = `${line.slice(0, -1)} `;
    line = `${line}${field}`.slice(0, positions[i]);
    line = line.padEnd(positions[i]!);
  });
  return line;
}

export function formatSummary(input: SummaryInput, options: SummaryOptions = {}): string {
  const lineLength = options.lineLength ?? 65;
  const relative = options.positions ?? [0.45, 0.85, 1];
  const positions =
    relative[relative.length - 1]! <= 1
      ? relative.map((p) => Math.floor(lineLength * p))
      : [...relative];
  const lines = [
    `Model: "${input.modelName}"`,
    '_'.repeat(lineLength),
    row(['Layer (type)', 'Output Shape', 'Param #'], positions),
    '='.repeat(lineLength),
  ];
  input.rows.forEach((layer, i) => {
    lines.push(
      row(
        [
          `${layer.name} (${layer.className})`,
          formatKerasShape(layer.outputShape),
          String(layer.params),
        ],
        positions,
      ),
    );
    lines.push((i === input.rows.length - 1 ? '=' : '_').repeat(lineLength));
  });
  const total = input.trainableParams + input.nonTrainableParams;
  lines.push(
    `Total params: ${formatThousands(total)}`,
    `Trainable params: ${formatThousands(input.trainableParams)}`,
    `Non-trainable params: ${formatThousands(input.nonTrainableParams)}`,
    '_'.repeat(lineLength),
  );
  return lines.join('\n');
}
