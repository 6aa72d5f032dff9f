/**
 * Shared types of the Float module.
 *
 * @module
 */

/**
 * A Rain decimal float: the packed `bytes32` of rain.math.float as a lowercase `0x` + 64 hex digit
 * string. The low 224 bits hold the signed coefficient, the high 32 bits the signed exponent; the
 * value is `coefficient × 10^exponent`.
 */
export type Float = `0x${string}`;

/**
 * A Float split into its two fields, as `unpackFloat` returns them: `coefficient` is a signed
 * 224-bit integer and `exponent` a signed 32-bit integer.
 */
export type UnpackedFloat = {
  /** Signed coefficient, in `[-2^223, 2^223 - 1]`. */
  readonly coefficient: bigint;
  /** Signed exponent, in `[-2^31, 2^31 - 1]`. */
  readonly exponent: number;
};

/** Result of a conversion that reports precision loss instead of throwing. */
export type LossyResult<T> = {
  /** The converted value (truncated toward zero when lossy). */
  readonly value: T;
  /** `true` when no precision was lost, as the Solidity's second return value says. */
  readonly lossless: boolean;
};
