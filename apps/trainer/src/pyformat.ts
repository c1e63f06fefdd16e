// Python's printf-style number formatting (`%.0f`, `%.4f`, `%.4e`, `%d`), so the progress lines
// match Keras character for character. JavaScript's toFixed breaks exact ties upwards while
// Python rounds them to even (`'%.0f' % 2.5 == '2'`), and toExponential writes `e-4` where
// Python writes `e-04`; these helpers close both gaps.

/** `'%.{digits}f' % value`: fixed point, exact ties rounded to even like CPython. */
export function formatFixed(value: number, digits: number): string {
  if (!Number.isFinite(value)) return formatNonFinite(value);
  const rounded = value.toFixed(digits);
  if (!isExactTie(value, digits)) return rounded;
  // toFixed picked the larger magnitude on a tie; step back if that made the last digit odd.
  const lastDigit = Number(rounded[rounded.length - 1]);
  if (lastDigit % 2 === 0) return rounded;
  const step = 10 ** -digits;
  const towardZero = value > 0 ? value - step / 2 : value + step / 2;
  return towardZero.toFixed(digits);
}

/** `'%.{digits}e' % value`: mantissa with `digits` decimals and an exponent of at least 2 digits. */
export function formatExponential(value: number, digits: number): string {
  if (!Number.isFinite(value)) return formatNonFinite(value);
  const [mantissa, exponent] = value.toExponential(digits).split('e') as [string, string];
  const sign = exponent.startsWith('-') ? '-' : '+';
  const magnitude = exponent.replace(/^[+-]/, '').padStart(2, '0');
  return `${mantissa}e${sign}${magnitude}`;
}

/** `'%d' % value` for a float: truncates toward zero. */
export function formatInteger(value: number): string {
  return String(Math.trunc(value));
}

/** Keras's metric formatting: `%.4f`, or `%.4e` for magnitudes at or below 1e-3. */
export function formatMetric(value: number): string {
  return Math.abs(value) > 1e-3 ? formatFixed(value, 4) : formatExponential(value, 4);
}

function formatNonFinite(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  return value > 0 ? 'inf' : '-inf';
}

/** True when the exact binary value lies exactly halfway between two `digits`-decimal numbers. */
function isExactTie(value: number, digits: number): boolean {
  // toFixed(100) prints the exact decimal expansion for any double of ordinary size.
  const exact = Math.abs(value).toFixed(100);
  const fraction = exact.slice(exact.indexOf('.') + 1);
  return fraction[digits] === '5' && /^0*$/.test(fraction.slice(digits + 1));
}
