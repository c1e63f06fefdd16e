import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/main.js';
import { filter2dSync, listKernels, loadSample, maxPool, readPng, toGray } from '../src/index.js';

function capture() {
  const io = {
    stdout: '',
    stderr: '',
    out: (t: string) => void (io.stdout += t),
    err: (t: string) => void (io.stderr += t),
  };
  return io;
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'convoy-vision-cli-'));
});

describe('convoy-vision filter', () => {
  it("writes the chapter's three-panel figure for the sample cube with timing lines", async () => {
    const io = capture();
    const output = join(dir, 'edge-figure.png');
    const code = await runCli(
      ['filter', '--kernel', 'edge', '--pool', '2', '--figure', '-o', output],
      io,
    );
    expect(io.stderr).not.toMatch(/convoy-vision:/);
    expect(code).toBe(0);
    expect(io.stderr).toMatch(/read the sample cube: 500x500 RGB 8-bit \(\d+ ms\)/);
    expect(io.stderr).toMatch(/filter edge 3x3, zero padding, 1 thread \(\d+ ms\)/);
    expect(io.stderr).toMatch(/max pool 2x2: 250x250/);
    expect(io.stderr).toMatch(/figure: gray \| convolution \| max_pooled/);
    const picture = await readPng(output);
    expect(picture.channels).toBe(3);
    expect(picture.width).toBeGreaterThan(3 * 500);
  });

  it('writes the figure as SVG when the output name ends .svg', async () => {
    const output = join(dir, 'edge-figure.svg');
    const io = capture();
    expect(await runCli(['filter', '--pool', '2', '--figure', '-o', output, '-q'], io)).toBe(0);
    const svg = await readFile(output, 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<image /g)).toHaveLength(3);
    expect(svg).toContain('>max_pooled</text>');
  });

  it('without --figure writes the filtered (and pooled) gray image itself', async () => {
    const output = join(dir, 'sharpen.png');
    const io = capture();
    expect(await runCli(['filter', '-k', 'sharpen', '--pool', '2', '-o', output, '-q'], io)).toBe(
      0,
    );
    expect(io.stderr).toBe('');
    const expected = maxPool(filter2dSync(toGray(await loadSample()), 'sharpen'), { size: 2 });
    const written = await readPng(output);
    expect([written.width, written.height, written.channels]).toEqual([250, 250, 1]);
    expect(Buffer.from(written.data).equals(Buffer.from(expected.data))).toBe(true);
  });

  it('accepts an input file, a matrix kernel and replicate padding', async () => {
    const sampleOut = join(dir, 'cube.png');
    expect(await runCli(['sample', '-o', sampleOut], capture())).toBe(0);
    const output = join(dir, 'custom.png');
    const io = capture();
    const code = await runCli(
      ['filter', sampleOut, '-k', '1 2 1; 2 4 2; 1 2 1 / 16', '-p', 'replicate', '-o', output],
      io,
    );
    expect(code).toBe(0);
    expect(io.stderr).toMatch(/filter custom 3x3, replicate padding/);
    const expected = filter2dSync(toGray(await loadSample()), 'gaussian', { padding: 'replicate' });
    expect(Buffer.from((await readPng(output)).data).equals(Buffer.from(expected.data))).toBe(true);
  });

  it('runs on a worker pool with --workers, starting the threads before timing the filter', async () => {
    const output = join(dir, 'edge-pool.png');
    const io = capture();
    expect(await runCli(['filter', '-k', 'edge', '--workers', '2', '-o', output], io)).toBe(0);
    expect(io.stderr).toMatch(/started 2 worker threads \(/);
    expect(io.stderr).toMatch(/filter edge 3x3, zero padding, 2 workers \(/);
    const expected = filter2dSync(toGray(await loadSample()), 'edge');
    expect(Buffer.from((await readPng(output)).data).equals(Buffer.from(expected.data))).toBe(true);
  });

  it('gives clear errors for bad usage (exit 2) and a bad picture (exit 1)', async () => {
    let io = capture();
    expect(await runCli(['filter', '-k', 'blurry'], io)).toBe(2);
    expect(io.stderr).toMatch(
      /convoy-vision: --kernel: unknown kernel 'blurry'; known kernels: identity, mean/,
    );
    io = capture();
    expect(await runCli(['filter', '-k', '1,1;1,1'], io)).toBe(2);
    expect(io.stderr).toMatch(/odd height and width.*got 2x2/);
    io = capture();
    expect(await runCli(['filter', '--pool', 'two'], io)).toBe(2);
    expect(io.stderr).toMatch(/--pool must be a positive integer, got 'two'/);
    io = capture();
    expect(await runCli(['filter', '--padding', 'wrap'], io)).toBe(2);
    expect(io.stderr).toMatch(
      /--padding must be one of 'zero', 'replicate', 'reflect', got "wrap"/,
    );
    io = capture();
    expect(await runCli(['filter', '--bogus'], io)).toBe(2);
    expect(io.stderr).toMatch(/Unknown option '--bogus'/);
    io = capture();
    expect(await runCli(['frobnicate'], io)).toBe(2);
    const broken = join(dir, 'broken.png');
    await writeFile(broken, new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]));
    io = capture();
    expect(await runCli(['filter', broken, '-o', join(dir, 'x.png')], io)).toBe(1);
    expect(io.stderr).toMatch(/convoy-vision: readPng: .*broken\.png: corrupt or truncated PNG/);
  });
});

describe('convoy-vision kernels and help', () => {
  it('lists every kernel with its matrix', async () => {
    const io = capture();
    expect(await runCli(['kernels'], io)).toBe(0);
    for (const kernel of listKernels()) expect(io.stdout).toContain(`${kernel.name} (`);
    expect(io.stdout).toContain('[ -1  8 -1 ]');
    expect(io.stdout).toContain('1/9 [ 1 1 1 ]');
  });

  it('writes the sample, tiled to any size', async () => {
    const output = join(dir, 'tiled.png');
    expect(
      await runCli(['sample', '--width', '1200', '--height', '700', '-o', output], capture()),
    ).toBe(0);
    const tiled = await readPng(output);
    const sample = await loadSample();
    expect([tiled.width, tiled.height]).toEqual([1200, 700]);
    // Pixel (1100, 650) repeats pixel (100, 150) of the 500x500 sample.
    const at = (image: typeof tiled, x: number, y: number) => [
      ...image.data.subarray((y * image.width + x) * 3, (y * image.width + x) * 3 + 3),
    ];
    expect(at(tiled, 1100, 650)).toEqual(at(sample, 100, 150));
    const io = capture();
    expect(await runCli(['sample', '--width', '0'], io)).toBe(2);
    expect(io.stderr).toMatch(/--width must be an integer from 1 to 30000, got '0'/);
  });

  it('prints help', async () => {
    let io = capture();
    expect(await runCli(['--help'], io)).toBe(0);
    expect(io.stdout).toContain(
      'convoy-vision filter --kernel edge --pool 2 --figure -o edge-figure.png',
    );
    io = capture();
    expect(await runCli(['filter', '--help'], io)).toBe(0);
    expect(io.stdout).toContain('--workers <n|auto>');
    io = capture();
    expect(await runCli([], io)).toBe(1);
    expect(io.stdout).toContain('Usage:');
  });
});
