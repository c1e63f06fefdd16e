// The load progress: a bar redrawn in place on a terminal, a line per tenth elsewhere.

import { describe, expect, it } from 'vitest';
import { progressReporter } from '../src/index.js';

function stream(isTTY: boolean) {
  const written: string[] = [];
  return { isTTY, written, write: (text: string) => written.push(text) };
}

describe('progressReporter', () => {
  it('prints a line at each tenth when not on a terminal', () => {
    const out = stream(false);
    const report = progressReporter(out, () => 0);
    for (let done = 0; done <= 100; done++) report({ done, total: 100, what: 'loading images' });
    expect(out.written.length).toBe(11);
    expect(out.written[0]).toBe('loading images: 0/100 (0%) 0.0s\n');
    expect(out.written[10]).toBe('loading images: 100/100 (100%) 0.0s\n');
  });

  it('redraws a bar in place on a terminal, at most every 100 ms, ending with a newline', () => {
    const out = stream(true);
    let clock = 0;
    const report = progressReporter(out, () => clock);
    report({ done: 0, total: 4, what: 'loading images' });
    clock = 50;
    report({ done: 1, total: 4, what: 'loading images' }); // too soon: skipped
    clock = 200;
    report({ done: 2, total: 4, what: 'loading images' });
    report({ done: 4, total: 4, what: 'loading images' }); // the end is always drawn
    expect(out.written).toEqual([
      `\rloading images [${'.'.repeat(30)}] 0/4 0.0s`,
      `\rloading images [${'='.repeat(14)}>${'.'.repeat(15)}] 2/4 0.2s`,
      `\rloading images [${'='.repeat(30)}] 4/4 0.2s\n`,
    ]);
  });
});
