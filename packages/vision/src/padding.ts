// How a filter sees pixels beyond the image border. 'zero' is the chapter's np.pad(image, 1) (and
// OpenCV's BORDER_CONSTANT 0); 'replicate' repeats the edge pixel (np.pad mode 'edge', OpenCV
// BORDER_REPLICATE); 'reflect' mirrors without repeating the edge pixel: d c b | a b c d | c b a
// (np.pad mode 'reflect', OpenCV's default BORDER_REFLECT_101).

export type PaddingMode = 'zero' | 'replicate' | 'reflect';

export const PADDING_MODES: readonly PaddingMode[] = ['zero', 'replicate', 'reflect'];

export function assertPaddingMode(mode: unknown, op: string): asserts mode is PaddingMode {
  if (!PADDING_MODES.includes(mode as PaddingMode)) {
    throw new RangeError(
      `${op}: padding must be one of ${PADDING_MODES.map((m) => `'${m}'`).join(', ')}, got ${JSON.stringify(mode)}`,
    );
  }
}

/**
 * The source index that position `index` (which may lie outside 0..size-1) reads under `mode`,
 * or -1 for a zero.
 */
export function sourceIndex(index: number, size: number, mode: PaddingMode): number {
  if (index >= 0 && index < size) return index;
  if (mode === 'zero') return -1;
  if (mode === 'replicate' || size === 1) return index < 0 ? 0 : size - 1;
  // Mirror images repeat with period 2(size-1); padding wider than the image keeps bouncing.
  const period = 2 * (size - 1);
  const folded = ((index % period) + period) % period;
  return folded < size ? folded : period - folded;
}
