/**
 * Packing and unpacking of the `bytes32` word, exactly as `LibDecimalFloat.packLossy`,
 * `packLossless` and `unpack` do it, plus fast hex conversion.
 *
 * @module
 */
import {
  INT224_MAX,
  INT224_MIN,
  INT32_MAX,
  INT32_MIN,
  POW10,
  TWO_224,
  UINT256_MAX,
} from "./constants.ts";
import { inputError, rainError } from "./errors.ts";
import type { Float, LossyResult, UnpackedFloat } from "./types.ts";

/** A zero valued Float (`0x00…00`). */
export const FLOAT_ZERO: Float =
  "0x0000000000000000000000000000000000000000000000000000000000000000";
/** A one valued Float (coefficient 1, exponent 0). */
export const FLOAT_ONE: Float =
  "0x0000000000000000000000000000000000000000000000000000000000000001";

/** One half (coefficient 5, exponent -1), Rain's `FLOAT_HALF`. */
export const FLOAT_HALF: Float =
  "0xffffffff00000000000000000000000000000000000000000000000000000005";
/** Two (coefficient 2, exponent 0), Rain's `FLOAT_TWO`. */
export const FLOAT_TWO: Float =
  "0x0000000000000000000000000000000000000000000000000000000000000002";
/** Largest positive value: `type(int224).max × 10^type(int32).max`. */
export const FLOAT_MAX_POSITIVE_VALUE: Float =
  "0x7fffffff7fffffffffffffffffffffffffffffffffffffffffffffffffffffff";
/** Smallest positive value: `1 × 10^type(int32).min`. */
export const FLOAT_MIN_POSITIVE_VALUE: Float =
  "0x8000000000000000000000000000000000000000000000000000000000000001";
/** Largest (closest to zero) negative value: `-1 × 10^type(int32).min`. */
export const FLOAT_MAX_NEGATIVE_VALUE: Float =
  "0x80000000ffffffffffffffffffffffffffffffffffffffffffffffffffffffff";
/** Most negative value: `type(int224).min × 10^type(int32).max`. */
export const FLOAT_MIN_NEGATIVE_VALUE: Float =
  "0x7fffffff80000000000000000000000000000000000000000000000000000000";

// Thresholds for packLossy: trunc(c / 10^k) fits int224 iff -NEG_FIT[k] < c < POS_FIT[k].
const POS_FIT: bigint[] = POW10.map((p) => (INT224_MAX + 1n) * p);
const NEG_FIT: bigint[] = POW10.map((p) => (-INT224_MIN + 1n) * p);

/**
 * Core of `packLossy`: shrinks an int256 coefficient until it fits int224 (truncating toward zero,
 * one exponent step per digit dropped) and checks the exponent fits int32. Writes the packed
 * fields to `out` and returns whether the coefficient fitted unchanged.
 * @internal
 */
export function normalizeForPack(c: bigint, e: number, op: string, out: MutableUnpacked): boolean {
  if (c <= INT224_MAX && c >= INT224_MIN) {
    if (e > INT32_MAX || e < INT32_MIN) {
      throw rainError(op, "ExponentOverflow", { signedCoefficient: c, exponent: e });
    }
    out.coefficient = c;
    out.exponent = e;
    return true;
  }
  let k = 1;
  if (c > 0n) {
    while (c >= POS_FIT[k]) k++;
  } else {
    const m = -c;
    while (m >= NEG_FIT[k]) k++;
  }
  c = c / POW10[k];
  e += k;
  if (e > INT32_MAX || e < INT32_MIN) {
    throw rainError(op, "ExponentOverflow", { signedCoefficient: c, exponent: e });
  }
  out.coefficient = c;
  out.exponent = e;
  return false;
}

/** A writable unpacked float used as an out-parameter on hot paths. @internal */
export type MutableUnpacked = { coefficient: bigint; exponent: number };

const HEX_PAD = "00000000000000000000000000000000000000000000000000000000";

/** Encodes int224/int32 fields (already in range) as a packed Float. @internal */
export function encode(c: bigint, e: number): Float {
  let ch: string;
  if (c >= 0n) {
    if (c === 0n && e === 0) return FLOAT_ZERO;
    ch = c.toString(16);
  } else {
    ch = (c + TWO_224).toString(16);
  }
  const eh = (e >>> 0).toString(16);
  return `0x${HEX_PAD.slice(0, 8 - eh.length)}${eh}${HEX_PAD.slice(0, 56 - ch.length)}${ch}`;
}

// Direct-mapped decode cache: hex ↔ bigint conversion dominates an operation, and interpreters and
// order books reuse the same words (constants, balances, ratios). A fixed table keyed by a few hex
// digits costs no allocation or rehashing on a miss, unlike a Map. A word is cached on its second
// sighting only: storing fresh bigints into the long-lived table on every miss slows streams of
// distinct words (GC write barriers) more than the cache saves them.
const CACHE_SIZE = 4096;
const cacheKeys: (string | undefined)[] = new Array(CACHE_SIZE).fill(undefined);
const cacheValues: (UnpackedFloat | undefined)[] = new Array(CACHE_SIZE).fill(undefined);
const seenKeys: (string | undefined)[] = new Array(CACHE_SIZE).fill(undefined);

/** Decodes a packed Float into its fields (through the cache above). @internal */
export function decode(float: Float, op: string): UnpackedFloat {
  let slot = 0;
  if (typeof float === "string" && float.length === 66) {
    slot = (float.charCodeAt(65) * 961 + float.charCodeAt(64) * 31 + float.charCodeAt(63) +
      (float.charCodeAt(62) << 5) + (float.charCodeAt(9) << 7) + (float.charCodeAt(60) << 9)) &
      (CACHE_SIZE - 1);
    if (cacheKeys[slot] === float) return cacheValues[slot]!;
  }
  let word: bigint;
  try {
    // BigInt() rejects any non-hex digit; the length and prefix checks make it exactly 32 bytes.
    if (
      float.length !== 66 || float.charCodeAt(0) !== 48 || float.charCodeAt(1) !== 120 ||
      float.charCodeAt(65) <= 32
    ) {
      throw 0;
    }
    word = BigInt(float);
  } catch {
    throw inputError(op, "float", float, "expected 0x followed by 64 hex digits");
  }
  // The exponent from its 8 hex digits directly (already validated by BigInt), avoiding a bigint
  // shift and conversion.
  let exponent = 0;
  for (let i = 2; i < 10; i++) {
    const ch = float.charCodeAt(i);
    exponent = (exponent << 4) | (ch <= 57 ? ch - 48 : (ch | 32) - 87);
  }
  const result = { coefficient: BigInt.asIntN(224, word), exponent: exponent | 0 };
  if (seenKeys[slot] === float) {
    cacheKeys[slot] = float;
    cacheValues[slot] = result;
  } else {
    seenKeys[slot] = float;
  }
  return result;
}

/**
 * Packs a coefficient and exponent like `LibDecimalFloat.packLossless`: throws `FloatError`
 * `CoefficientOverflow` when the coefficient does not fit int224 and `ExponentOverflow` when the
 * exponent does not fit int32. Accepts any int256 coefficient (and any integer exponent).
 *
 * @example
 * ```ts
 * import { packFloat } from "./mod.ts";
 * console.log(packFloat(15n, -1)); // 0xffffffff000…0f (1.5)
 * ```
 */
export function packFloat(coefficient: bigint, exponent: number | bigint): Float {
  const op = "packFloat";
  checkInt256(coefficient, op);
  if (typeof exponent === "bigint" && (exponent > 1n << 52n || exponent < -(1n << 52n))) {
    throwBigExponentOverflow(coefficient, exponent, op);
  }
  const e = checkExponent(exponent, op);
  const out: MutableUnpacked = { coefficient: 0n, exponent: 0 };
  const lossless = normalizeForPack(coefficient, e, op, out);
  if (!lossless) {
    throw rainError(op, "CoefficientOverflow", { signedCoefficient: coefficient, exponent: e });
  }
  return encode(out.coefficient, out.exponent);
}

/**
 * Packs like `LibDecimalFloat.packLossy`: a coefficient beyond int224 is truncated toward zero
 * (raising the exponent) and `lossless` says whether that happened. Throws `ExponentOverflow` when
 * the final exponent does not fit int32.
 *
 * @example
 * ```ts
 * import { packFloatLossy } from "./mod.ts";
 * const { value, lossless } = packFloatLossy(10n ** 70n + 1n, 0);
 * console.log(value, lossless); // …, false
 * ```
 */
export function packFloatLossy(coefficient: bigint, exponent: number | bigint): LossyResult<Float> {
  const op = "packFloatLossy";
  checkInt256(coefficient, op);
  if (typeof exponent === "bigint" && (exponent > 1n << 52n || exponent < -(1n << 52n))) {
    throwBigExponentOverflow(coefficient, exponent, op);
  }
  const e = checkExponent(exponent, op);
  const out: MutableUnpacked = { coefficient: 0n, exponent: 0 };
  const lossless = normalizeForPack(coefficient, e, op, out);
  return { value: encode(out.coefficient, out.exponent), lossless };
}

/**
 * Splits a Float into its signed coefficient and exponent, like `LibDecimalFloat.unpack`.
 *
 * @example
 * ```ts
 * import { unpackFloat } from "./mod.ts";
 * console.log(unpackFloat("0xffffffff0000000000000000000000000000000000000000000000000000000f"));
 * // { coefficient: 15n, exponent: -1 }
 * ```
 */
export function unpackFloat(float: Float): UnpackedFloat {
  // A copy: the decoded object is shared through the decode cache.
  const { coefficient, exponent } = decode(float, "unpackFloat");
  return { coefficient, exponent };
}

/**
 * Splits a Float held as a `uint256` bigint word (e.g. an interpreter stack item) into its fields,
 * without going through hex. Throws `FloatInputError` outside `[0, 2^256)`.
 *
 * @example
 * ```ts
 * import { unpackWord } from "./mod.ts";
 * console.log(unpackWord((0xffffffffn << 224n) | 15n)); // { coefficient: 15n, exponent: -1 }
 * ```
 */
export function unpackWord(word: bigint): UnpackedFloat {
  if (typeof word !== "bigint" || word < 0n || word > UINT256_MAX) {
    throw inputError("unpackWord", "word", word, "expected a bigint in [0, 2^256)");
  }
  return {
    coefficient: BigInt.asIntN(224, word),
    exponent: Number(BigInt.asIntN(32, word >> 224n)),
  };
}

/**
 * Joins in-range fields (int224 coefficient, int32 exponent) into the `uint256` word of a Float,
 * without normalising (the inverse of {@link unpackWord}). Throws `FloatInputError` when a field is
 * out of range; use {@link packFloat} for Rain's lossless packing of arbitrary values.
 *
 * @example
 * ```ts
 * import { packWord } from "./mod.ts";
 * console.log(packWord({ coefficient: 1n, exponent: 0 })); // 1n
 * ```
 */
export function packWord(float: UnpackedFloat): bigint {
  const { coefficient, exponent } = float;
  if (coefficient > INT224_MAX || coefficient < INT224_MIN) {
    throw inputError("packWord", "coefficient", coefficient, "expected an int224");
  }
  if (!Number.isInteger(exponent) || exponent > INT32_MAX || exponent < INT32_MIN) {
    throw inputError("packWord", "exponent", exponent, "expected an int32");
  }
  return (BigInt(exponent >>> 0) << 224n) | BigInt.asUintN(224, coefficient);
}

/**
 * The Float's raw `bytes32` as an unsigned 256-bit bigint (as the oracle's `toBigint`).
 *
 * @example
 * ```ts
 * import { FLOAT_ONE, toBigint } from "./mod.ts";
 * console.log(toBigint(FLOAT_ONE)); // 1n
 * ```
 */
export function toBigint(float: Float): bigint {
  decode(float, "toBigint");
  return BigInt(float);
}

/**
 * A Float from its raw `bytes32` given as an unsigned 256-bit bigint (as the oracle's
 * `fromBigint`). Throws `FloatInputError` outside `[0, 2^256)`.
 *
 * @example
 * ```ts
 * import { fromBigint } from "./mod.ts";
 * console.log(fromBigint(1n)); // 0x00…01
 * ```
 */
export function fromBigint(value: bigint): Float {
  if (typeof value !== "bigint" || value < 0n || value > UINT256_MAX) {
    throw inputError("fromBigint", "value", value, "expected a bigint in [0, 2^256)");
  }
  return `0x${value.toString(16).padStart(64, "0")}`;
}

function checkExponent(exponent: number | bigint, op: string): number {
  if (typeof exponent === "bigint") return Number(exponent);
  if (!Number.isSafeInteger(exponent)) {
    throw inputError(op, "exponent", exponent, "expected a safe integer");
  }
  return exponent;
}

/**
 * `packLossy` for an exponent too large for a JS number (only reachable from bigint inputs or a
 * parsed exponent): it can only end in `ExponentOverflow`, after the coefficient is shrunk to
 * int224 (each dropped digit raising the exponent, wrapping in int256 as the unchecked Solidity
 * does).
 * @internal
 */
export function throwBigExponentOverflow(c: bigint, e: bigint, op: string): never {
  while (c > INT224_MAX || c < INT224_MIN) {
    c /= 10n;
    e = BigInt.asIntN(256, e + 1n);
  }
  throw rainError(op, "ExponentOverflow", { signedCoefficient: c, exponent: e });
}

function checkInt256(c: bigint, op: string): void {
  if (typeof c !== "bigint" || c > (1n << 255n) - 1n || c < -(1n << 255n)) {
    throw inputError(op, "coefficient", c, "expected an int256 bigint");
  }
}
