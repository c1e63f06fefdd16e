// The IDX file format of MNIST and Fashion-MNIST (http://yann.lecun.com/exdb/mnist/): two zero
// bytes, a type code, the number of dimensions, each dimension as a big-endian uint32, then the
// elements in row-major order, big-endian.

export type IdxDType = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

export type IdxData =
  | Uint8Array
  | Int8Array
  | Int16Array
  | Int32Array
  | Float32Array
  | Float64Array;

export interface IdxArray {
  dtype: IdxDType;
  shape: number[];
  data: IdxData;
}

const TYPE_CODES: Record<number, { dtype: IdxDType; bytes: number }> = {
  8: { dtype: 'uint8', bytes: 1 },
  9: { dtype: 'int8', bytes: 1 },
  11: { dtype: 'int16', bytes: 2 },
  12: { dtype: 'int32', bytes: 4 },
  13: { dtype: 'float32', bytes: 4 },
  14: { dtype: 'float64', bytes: 8 },
};

/**
 * The most elements an IDX file may declare: the largest typed array index that stays a 32-bit
 * signed integer. Fashion-MNIST's training images are 47,040,000.
 */
export const MAX_IDX_ELEMENTS = 2 ** 31 - 1;

const hex = (value: number): string => `0x${value.toString(16).padStart(2, '0')}`;

/**
 * Parses one IDX file (already decompressed). Byte data is returned as a view on `bytes`, with
 * no copy; wider types are decoded from big-endian into a new array.
 * `name` (a file name) makes error messages point at the file.
 */
export function parseIdx(bytes: Uint8Array, name = 'IDX data'): IdxArray {
  const fail = (message: string): never => {
    throw new Error(`parseIdx: ${name}: ${message}`);
  };
  if (!(bytes instanceof Uint8Array))
    fail(`expected a Uint8Array, got ${Object.prototype.toString.call(bytes)}`);
  if (bytes.length < 4) fail(`truncated header: need at least 4 bytes, got ${bytes.length}`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    const hint =
      bytes[0] === 0x1f && bytes[1] === 0x8b ? ' (this is gzip data: decompress it first)' : '';
    fail(
      `wrong magic: expected the first two bytes to be 0x00 0x00, got ${hex(bytes[0]!)} ${hex(bytes[1]!)}${hint}`,
    );
  }
  const typeCode = bytes[2]!;
  const type = TYPE_CODES[typeCode];
  if (type === undefined) {
    fail(
      `unknown type code ${hex(typeCode)}; expected one of ${Object.keys(TYPE_CODES)
        .map((c) => hex(Number(c)))
        .join(', ')}`,
    );
  }
  const { dtype, bytes: elementBytes } = type!;
  const rank = bytes[3]!;
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) {
    fail(
      `truncated header: ${rank} dimensions need ${headerBytes} header bytes, got ${bytes.length}`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  let count = 1;
  for (let axis = 0; axis < rank; axis++) {
    const dim = view.getUint32(4 + 4 * axis, false);
    shape.push(dim);
    count *= dim;
  }
  // Checked before anything is sized from the header: the header alone can claim any size.
  if (count > MAX_IDX_ELEMENTS) {
    fail(
      `dims [${shape.join(', ')}] declare ${count} elements of ${dtype}, more than the limit of ${MAX_IDX_ELEMENTS}`,
    );
  }
  const expectedBytes = count * elementBytes;
  const actualBytes = bytes.length - headerBytes;
  if (actualBytes !== expectedBytes) {
    const what = actualBytes < expectedBytes ? 'truncated data' : 'extra data';
    fail(
      `${what}: dims [${shape.join(', ')}] of ${dtype} need ${expectedBytes} data bytes, got ${actualBytes}`,
    );
  }
  return { dtype, shape, data: decode(view, headerBytes, count, dtype, bytes) };
}

function decode(
  view: DataView,
  offset: number,
  count: number,
  dtype: IdxDType,
  bytes: Uint8Array,
): IdxData {
  switch (dtype) {
    case 'uint8':
      return bytes.subarray(offset, offset + count);
    case 'int8':
      return new Int8Array(bytes.buffer, bytes.byteOffset + offset, count);
    case 'int16': {
      const out = new Int16Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt16(offset + 2 * i, false);
      return out;
    }
    case 'int32': {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt32(offset + 4 * i, false);
      return out;
    }
    case 'float32': {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(offset + 4 * i, false);
      return out;
    }
    case 'float64': {
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(offset + 8 * i, false);
      return out;
    }
  }
}

/** Writes an IDX file: the inverse of parseIdx, for tests, fixtures and exporting subsets. */
export function encodeIdx(array: IdxArray): Uint8Array {
  const entry = Object.entries(TYPE_CODES).find(([, t]) => t.dtype === array.dtype);
  if (entry === undefined) throw new Error(`encodeIdx: unknown dtype ${array.dtype}`);
  const [code, { bytes: elementBytes }] = entry;
  const count = array.shape.reduce((a, b) => a * b, 1);
  if (count !== array.data.length) {
    throw new RangeError(
      `encodeIdx: shape [${array.shape.join(', ')}] needs ${count} elements, got ${array.data.length}`,
    );
  }
  const headerBytes = 4 + 4 * array.shape.length;
  const out = new Uint8Array(headerBytes + count * elementBytes);
  const view = new DataView(out.buffer);
  out[2] = Number(code);
  out[3] = array.shape.length;
  array.shape.forEach((dim, axis) => {
    view.setUint32(4 + 4 * axis, dim, false);
  });
  for (let i = 0; i < count; i++) {
    const at = headerBytes + i * elementBytes;
    const value = array.data[i]!;
    if (array.dtype === 'uint8') view.setUint8(at, value);
    else if (array.dtype === 'int8') view.setInt8(at, value);
    else if (array.dtype === 'int16') view.setInt16(at, value, false);
    else if (array.dtype === 'int32') view.setInt32(at, value, false);
    else if (array.dtype === 'float32') view.setFloat32(at, value, false);
    else view.setFloat64(at, value, false);
  }
  return out;
}
