// Property test of convoy-vision's flags (fixed seed, bounded runs): any command line made of its
// commands, flags and values — good, bad, missing, repeated, unknown — ends with exit code 0 and
// its output written, or 1 or 2 with convoy-vision's own one-line message; never an exception,
// never an internal error in the message. Pictures and sizes stay small so each run is quick
// (the filter's default input is the 500x500 sample cube, so a tiny PNG is usually given).

import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkConvoyError, fc, fuzzParameters, reportCount } from '@convoy/fuzz';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { listKernels, writePng } from '../../src/index.js';

const RUNS = 300;
const dir = mkdtempSync(join(tmpdir(), 'convoy-fuzz-vision-cli-'));
const tiny = join(dir, 'tiny.png');
const output = join(dir, 'out.png');

beforeAll(async () => {
  await writePng(tiny, {
    width: 6,
    height: 5,
    channels: 3,
    data: Uint8Array.from({ length: 90 }, (_, i) => (i * 37) % 256),
  });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const junk = fc.constantFrom('', 'x', '-1', '0', '1e9', 'NaN', '2.5', '--', '-', '%', ' ');
const smallNumber = fc.constantFrom('1', '2', '3', '7');

const filterArgs = fc.array(
  fc.oneof(
    fc.tuple(
      fc.constantFrom('--kernel', '-k'),
      fc.oneof(
        fc.constantFrom(...listKernels().map((k) => k.name)),
        fc.constantFrom('[[1,0],[0,-1]]', '[[1,2', '[]', '[[1],[2,3]]'),
        junk,
      ),
    ),
    fc.tuple(
      fc.constantFrom('--padding', '-p'),
      fc.oneof(fc.constantFrom('zero', 'same', 'valid', 'reflect', 'replicate', 'wrap'), junk),
    ),
    fc.tuple(fc.constantFrom('--pool'), fc.oneof(smallNumber, fc.constantFrom('9', '1000'), junk)),
    fc.tuple(fc.constantFrom('--workers', '-w'), fc.oneof(fc.constantFrom('1', '2', 'auto'), junk)),
    fc.tuple(
      fc.constantFrom(
        '--figure',
        '-f',
        '--color',
        '-q',
        '--help',
        '--frobnicate',
        tiny,
        join(dir, 'missing.png'),
        join(dir, 'dir-as-file'),
      ),
    ),
    fc.tuple(
      fc.constantFrom('-o', '--output'),
      fc.constantFrom(output, join(dir, 'figure.svg'), join(dir, 'no-such-dir', 'x.png')),
    ),
  ),
  { maxLength: 6 },
);

const sampleArgs = fc.array(
  fc.oneof(
    fc.tuple(
      fc.constantFrom('--width', '--height'),
      fc.oneof(smallNumber, fc.constantFrom('40000'), junk),
    ),
    fc.tuple(
      fc.constantFrom('-o', '--output'),
      fc.constantFrom(output, join(dir, 'no-such-dir', 'x.png')),
    ),
    fc.tuple(fc.constantFrom('--help', '-x')),
  ),
  { maxLength: 4 },
);

// Every filter and sample command line ends by sending its output to the temporary directory:
// their default outputs (edge.png, cube.png…) would land in the working directory.
const toTemporary = (argv: string[]): string[] =>
  argv[0] === 'filter' || argv[0] === 'sample' ? [...argv, '-o', output] : argv;

const commandLine = fc
  .oneof(
    filterArgs.map((parts) => ['filter', tiny, '-q', ...parts.flat()]),
    filterArgs.map((parts) => ['filter', ...parts.flat()]),
    sampleArgs.map((parts) => ['sample', '--width', '8', '--height', '8', ...parts.flat()]),
    fc.array(
      fc.constantFrom('kernels', 'help', '--help', 'filter', 'sample', 'nope', '-h', '--x'),
      {
        maxLength: 3,
      },
    ),
  )
  .map(toTemporary);

function lastOutput(argv: readonly string[]): string | undefined {
  let found: string | undefined;
  argv.forEach((arg, i) => {
    if (arg === '-o' || arg === '--output') found = argv[i + 1];
  });
  return found;
}

describe('convoy-vision flags, fuzzed', () => {
  it('exit 0 with its output, or 1/2 with its own one-line message', async () => {
    const before = new Set(readdirSync(process.cwd()));
    await fc.assert(
      fc.asyncProperty(commandLine, async (argv) => {
        rmSync(output, { force: true });
        let stderr = '';
        let stdout = '';
        const code = await runCli(argv, {
          out: (text) => {
            stdout += text;
          },
          err: (text) => {
            stderr += text;
          },
        });
        if (code === 0) {
          // A filter or sample run that ends well wrote the last output it was given.
          const wrote = argv[0] !== 'kernels' && !argv.some((a) => a === '--help' || a === '-h');
          if (wrote && lastOutput(argv) === output) expect(existsSync(output)).toBe(true);
          return;
        }
        expect([1, 2]).toContain(code);
        // Timing lines may come first; the error is the rest, from convoy-vision's prefix on.
        const message = stderr.slice(Math.max(0, stderr.indexOf('convoy-vision: ')));
        if (argv[0] === undefined || ['help', '--help', '-h'].includes(argv[0])) {
          expect(stdout).toContain('Usage:');
          return;
        }
        checkConvoyError(new Error(message), { prefixes: ['convoy-vision: '] });
      }),
      fuzzParameters(RUNS),
    );
    reportCount('convoy-vision command lines', RUNS);
    // Nothing was written where the tests run (a default output such as edge.png would be).
    const pictures = (name: string) => /\.(png|svg)$/i.test(name) && !before.has(name);
    expect(readdirSync(process.cwd()).filter(pictures)).toEqual([]);
  }, 300_000);
});
