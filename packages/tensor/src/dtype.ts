// The element types Convoy stores, and the typed array behind each one.

export type DType = 'float32' | 'int32' | 'uint8';

export interface TypedArrayFor {
  float32: Float32Array;
  int32: Int32Array;
  uint8: Uint8Array;
}

export type TypedArray = TypedArrayFor[DType];

type TypedArrayConstructorFor<D extends DType> = {
  new (length: number): TypedArrayFor[D];
  new (buffer: ArrayBufferLike, byteOffset?: number, length?: number): TypedArrayFor[D];
  readonly BYTES_PER_ELEMENT: number;
};

const constructors: { [D in DType]: TypedArrayConstructorFor<D> } = {
  float32: Float32Array,
  int32: Int32Array,
  uint8: Uint8Array,
};

export const DTYPES: readonly DType[] = ['float32', 'int32', 'uint8'];

export function isDType(value: unknown): value is DType {
  return typeof value === 'string' && (DTYPES as readonly string[]).includes(value);
}

export function assertDType(value: unknown, context: string): asserts value is DType {
  if (!isDType(value)) {
    throw new TypeError(
      `${context}: dtype must be one of ${DTYPES.join(', ')}, got ${String(value)}`,
    );
  }
}

export function typedArrayConstructor<D extends DType>(dtype: D): TypedArrayConstructorFor<D> {
  return constructors[dtype];
}

/** The dtype whose typed array `data` is, or undefined for any other value. */
export function dtypeOfArray(data: unknown): DType | undefined {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof Uint8Array) return 'uint8';
  return undefined;
}
