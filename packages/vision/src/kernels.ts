// The catalogue of named filter kernels, and custom kernels from numbers. A kernel is a matrix of
// weights and a divisor, so "mean" is ones / 9 exactly as the chapter writes it: the convolution
// then sums integer weights (exact in float32) and divides once, which keeps integer results exact.
// Kernels are applied as the chapter applies them: sum(window * kernel), no flip (cross-correlation).

export interface Kernel {
  readonly name: string;
  readonly description: string;
  /** Rows of weights; both sizes are odd so the kernel has a centre pixel. */
  readonly weights: readonly (readonly number[])[];
  /** The weighted sum is divided by this (1 for most kernels, 9 for the 3x3 mean). */
  readonly divisor: number;
}

interface KernelSpec {
  description: string;
  weights: number[][];
  divisor?: number;
  /** Other names that find this kernel. */
  aliases?: string[];
}

const binomial5 = [1, 4, 6, 4, 1];

const SPECS: Record<string, KernelSpec> = {
  identity: {
    description: 'leaves the image unchanged',
    weights: [
      [0, 0, 0],
      [0, 1, 0],
      [0, 0, 0],
    ],
  },
  mean: {
    description: "the chapter's mean (average) filter: blurs by averaging the 3x3 neighbourhood",
    weights: ones(3),
    divisor: 9,
    aliases: ['box', 'blur'],
  },
  mean5: {
    description: 'mean filter over a 5x5 neighbourhood (stronger blur)',
    weights: ones(5),
    divisor: 25,
    aliases: ['box5'],
  },
  gaussian: {
    description: 'Gaussian blur, 3x3 binomial approximation',
    weights: [
      [1, 2, 1],
      [2, 4, 2],
      [1, 2, 1],
    ],
    divisor: 16,
  },
  gaussian5: {
    description: 'Gaussian blur, 5x5 binomial approximation',
    weights: binomial5.map((a) => binomial5.map((b) => a * b)),
    divisor: 256,
  },
  sharpen: {
    description: "the chapter's sharpening filter: makes edges crisper",
    weights: [
      [-1, -1, -1],
      [-1, 9, -1],
      [-1, -1, -1],
    ],
  },
  edge: {
    description: "the chapter's edge-detection filter: keeps only the outlines",
    weights: [
      [-1, -1, -1],
      [-1, 8, -1],
      [-1, -1, -1],
    ],
    aliases: ['edges', 'edge-detection'],
  },
  'sobel-x': {
    description:
      'Sobel derivative across columns: responds to vertical edges (dark to bright, left to right)',
    weights: [
      [-1, 0, 1],
      [-2, 0, 2],
      [-1, 0, 1],
    ],
    aliases: ['sobelx'],
  },
  'sobel-y': {
    description:
      'Sobel derivative across rows: responds to horizontal edges (dark to bright, top to bottom)',
    weights: [
      [-1, -2, -1],
      [0, 0, 0],
      [1, 2, 1],
    ],
    aliases: ['sobely'],
  },
  laplacian: {
    description: 'Laplacian (4-neighbour): second derivative, bright on thin lines and corners',
    weights: [
      [0, 1, 0],
      [1, -4, 1],
      [0, 1, 0],
    ],
  },
  emboss: {
    description: 'emboss: a relief lit from the bottom right',
    weights: [
      [-2, -1, 0],
      [-1, 1, 1],
      [0, 1, 2],
    ],
  },
};

function ones(size: number): number[][] {
  return Array.from({ length: size }, () => new Array<number>(size).fill(1));
}

const CATALOGUE: readonly Kernel[] = Object.entries(SPECS).map(([name, spec]) =>
  freezeKernel({
    name,
    description: spec.description,
    weights: spec.weights,
    divisor: spec.divisor ?? 1,
  }),
);

const BY_NAME = new Map<string, Kernel>();
for (const kernel of CATALOGUE) {
  BY_NAME.set(kernel.name, kernel);
  for (const alias of SPECS[kernel.name]!.aliases ?? []) BY_NAME.set(alias, kernel);
}

/** Every named kernel, in catalogue order. */
export function listKernels(): readonly Kernel[] {
  return CATALOGUE;
}

/** The names (and aliases) getKernel accepts. */
export function kernelNames(): string[] {
  return [...BY_NAME.keys()];
}

/** A kernel from the catalogue by name or alias (case-insensitive). */
export function getKernel(name: string): Kernel {
  const kernel = BY_NAME.get(String(name).toLowerCase());
  if (!kernel) {
    throw new RangeError(
      `getKernel: unknown kernel '${name}'; known kernels: ${CATALOGUE.map((k) => k.name).join(', ')} (aliases: ${kernelNames()
        .filter((n) => !CATALOGUE.some((k) => k.name === n))
        .join(', ')})`,
    );
  }
  return kernel;
}

export interface CustomKernelOptions {
  name?: string;
  description?: string;
  /** The weighted sum is divided by this; default 1. */
  divisor?: number;
}

/** A kernel from rows of numbers, e.g. customKernel([[1, 2, 1], [2, 4, 2], [1, 2, 1]], { divisor: 16 }). */
export function customKernel(
  weights: readonly (readonly number[])[],
  options: CustomKernelOptions = {},
): Kernel {
  return validateKernel(
    {
      name: options.name ?? 'custom',
      description: options.description ?? 'custom kernel',
      weights,
      divisor: options.divisor ?? 1,
    },
    'customKernel',
  );
}

/**
 * Parses a kernel written on a command line: rows separated by ';', values by ',' or spaces, and an
 * optional '/divisor' at the end: "-1,-1,-1; -1,8,-1; -1,-1,-1" or "1 1 1;1 1 1;1 1 1 / 9".
 */
export function parseKernel(text: string): Kernel {
  const [matrix = '', divisorText, ...rest] = text.split('/');
  if (rest.length > 0) {
    throw new RangeError(`parseKernel: expected at most one '/divisor', got '${text}'`);
  }
  const rows = matrix
    .split(';')
    .map((row) => row.trim())
    .filter((row) => row.length > 0)
    .map((row) =>
      row
        .split(/[\s,]+/)
        .filter((v) => v.length > 0)
        .map((v) => {
          const value = Number(v);
          if (!Number.isFinite(value)) {
            throw new RangeError(`parseKernel: '${v}' is not a number in kernel '${text}'`);
          }
          return value;
        }),
    );
  const divisor = divisorText === undefined ? 1 : Number(divisorText.trim());
  return customKernel(rows, { divisor, description: `custom kernel ${text.trim()}` });
}

/** Checks a kernel's shape and numbers; throws errors that name the caller. */
export function validateKernel(kernel: Kernel, op: string): Kernel {
  const { weights, divisor } = kernel;
  if (
    !Array.isArray(weights) ||
    weights.length === 0 ||
    !weights.every((row) => Array.isArray(row))
  ) {
    throw new TypeError(`${op}: kernel weights must be a non-empty array of rows of numbers`);
  }
  const height = weights.length;
  const width = weights[0]!.length;
  const ragged = weights.findIndex((row) => row.length !== width);
  if (ragged >= 0) {
    throw new RangeError(
      `${op}: kernel rows must all have the same length: row 0 has ${width}, row ${ragged} has ${weights[ragged]!.length}`,
    );
  }
  if (width === 0 || height % 2 === 0 || width % 2 === 0) {
    throw new RangeError(
      `${op}: kernel must have an odd height and width (so it has a centre pixel), got ${height}x${width}`,
    );
  }
  if (!weights.every((row) => row.every((v) => typeof v === 'number' && Number.isFinite(v)))) {
    throw new RangeError(`${op}: kernel weights must be finite numbers`);
  }
  if (typeof divisor !== 'number' || !Number.isFinite(divisor) || divisor === 0) {
    throw new RangeError(
      `${op}: kernel divisor must be a finite non-zero number, got ${String(divisor)}`,
    );
  }
  return freezeKernel(kernel);
}

/** The kernel's size as [height, width]. */
export function kernelSize(kernel: Kernel): [number, number] {
  return [kernel.weights.length, kernel.weights[0]?.length ?? 0];
}

/** The kernel as a readable matrix, e.g. for `convoy-vision kernels`. */
export function formatKernel(kernel: Kernel): string {
  const cells = kernel.weights.map((row) => row.map((v) => String(v)));
  const width = Math.max(...cells.flat().map((c) => c.length));
  const lines = cells.map((row) => `[ ${row.map((c) => c.padStart(width)).join(' ')} ]`);
  if (kernel.divisor === 1) return lines.join('\n');
  const middle = Math.floor(lines.length / 2);
  const prefix = `1/${kernel.divisor} `;
  return lines
    .map((line, i) => (i === middle ? prefix : ' '.repeat(prefix.length)) + line)
    .join('\n');
}

function freezeKernel(kernel: Kernel): Kernel {
  return Object.freeze({
    name: kernel.name,
    description: kernel.description,
    weights: Object.freeze(kernel.weights.map((row) => Object.freeze([...row]))),
    divisor: kernel.divisor,
  });
}
