// The live chart's option, without a browser: what it hands ECharts for a long run (thinned to a
// few hundred points, newest included; the loss axis still reaching the highest loss seen).

import { describe, expect, it } from 'vitest';
import {
  type CurvePoint,
  liveCurvesOption,
  MAX_DRAWN_POINTS,
  thinPoints,
} from '../src/training/chart.js';

const run = (count: number): CurvePoint[] =>
  Array.from({ length: count }, (_, i) => ({
    step: i + 1,
    loss: i === 1234 ? 3.5 : 1 / (1 + i / 100),
    accuracy: i / count,
  }));

describe('live training chart', () => {
  it('keeps a short run whole and thins a long one to every k-th point plus the newest', () => {
    expect(thinPoints(run(150))).toHaveLength(150);
    const long = run(9375); // five epochs of 1,875 batches
    const thinned = thinPoints(long);
    expect(thinned.length).toBeLessThanOrEqual(MAX_DRAWN_POINTS + 1);
    expect(thinned[0]).toBe(long[0]);
    expect(thinned.at(-1)).toBe(long.at(-1));
  });

  it('scales the loss axis to the highest loss of the whole run, thinned away or not', () => {
    const option = liveCurvesOption(run(9375), 9375) as {
      yAxis: { max: number }[];
      xAxis: { max: number; name: string };
      series: { name: string; data: number[][] }[];
    };
    expect(option.yAxis[0]!.max).toBe(3.5);
    expect(option.xAxis).toMatchObject({ max: 9375, name: 'batch (of 9375)' });
    expect(option.series.map((series) => series.name)).toEqual([
      'loss (left axis)',
      'accuracy (right axis)',
    ]);
    expect(option.series[0]!.data.length).toBeLessThanOrEqual(MAX_DRAWN_POINTS + 1);
    expect(option.series[1]!.data.at(-1)).toEqual([9375, 9374 / 9375]);
  });
});
