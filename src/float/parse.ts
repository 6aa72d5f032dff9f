/**
 * Decimal string parsing, as `LibParseDecimalFloat.parseDecimalFloat` (with rain.string's
 * `unsafeDecimalStringToSignedInt`): `-?digits(.digits)?([eE]-?digits)?`, the whole string, packed
 * losslessly.
 *
 * @module
 */
import { INT224_MAX, INT224_MIN, INT256_MAX, POW10, TWO_255 } from "./constants.ts";
import { panicError, rainError } from "./errors.ts";
import {
  encode,
  type MutableUnpacked,
  normalizeForPack,
  throwBigExponentOverflow,
} from "./pack.ts";
import type { Float } from "./types.ts";

const OP = "parse";
const DASH = 45, DOT = 46, ZERO = 48, NINE = 57, LOWER_E = 101, UPPER_E = 69;
const TWO_256 = 1n << 256n;
const out: MutableUnpacked = { coefficient: 0n, exponent: 0 };

function isDigit(code: number): boolean {
  return code >= ZERO && code <= NINE;
}

function readDigits(str: string, start: number, end: number): bigint {
  if (end - start <= 15) {
    let n = 0;
    for (let i = start; i < end; i++) n = n * 10 + (str.charCodeAt(i) - ZERO);
    return BigInt(n);
  }
  return BigInt(str.slice(start, end));
}

/** Wraps to int256 the way unchecked Solidity arithmetic does. */
function wrapInt256(x: bigint): bigint {
  if (x > INT256_MAX || x < -TWO_255) {
    x = ((x % TWO_256) + TWO_256) % TWO_256;
    if (x > INT256_MAX) x -= TWO_256;
  }
  return x;
}

/**
 * Rain's signed decimal read of `[start, end)` where `dashes` leading dashes precede the digits.
 * More than one dash makes the digit loop read a dash as a wrapped digit, which always overflows.
 */
function signedInt(str: string, dashes: number, digitsStart: number, end: number): bigint {
  if (dashes > 1) throw rainError(OP, "ParseDecimalOverflow");
  const value = readDigits(str, digitsStart, end);
  if (dashes === 1) {
    if (value > TWO_255) throw rainError(OP, "ParseDecimalOverflow");
    return -value;
  }
  if (value > INT256_MAX) throw rainError(OP, "ParseDecimalOverflow");
  return value;
}

/**
 * Parses a decimal string into a Float, exactly as Rain does. Throws `FloatError` with the Rain
 * error name: `ParseEmptyDecimalString`, `MalformedDecimalPoint`, `MalformedExponentDigits`,
 * `ParseDecimalOverflow`, `ParseDecimalPrecisionLoss`, `ParseDecimalFloatExcessCharacters`, or
 * `CoefficientOverflow` / `ExponentOverflow` from the final lossless pack.
 *
 * @example
 * ```ts
 * import { parse } from "./mod.ts";
 * console.log(parse("1.5")); // 0xffffffff000…0f
 * ```
 */
export function parse(str: string): Float {
  const end = str.length;
  let cursor = 0;
  while (cursor < end && str.charCodeAt(cursor) === DASH) cursor++;
  const dashes = cursor;
  const intStart = cursor;
  while (cursor < end && isDigit(str.charCodeAt(cursor))) cursor++;
  if (cursor === intStart) throw rainError(OP, "ParseEmptyDecimalString");
  let coefficient = signedInt(str, dashes, intStart, cursor);
  let exponent = 0n;

  if (cursor < end && str.charCodeAt(cursor) === DOT) {
    cursor++;
    const fracStart = cursor;
    while (cursor < end && isDigit(str.charCodeAt(cursor))) cursor++;
    if (cursor === fracStart) throw rainError(OP, "MalformedDecimalPoint");
    let nonZero = cursor;
    while (str.charCodeAt(nonZero - 1) === ZERO) nonZero--;
    let fracValue = 0n;
    if (nonZero !== fracStart) fracValue = signedInt(str, 0, fracStart, nonZero);
    if (dashes > 0) fracValue = -fracValue;
    const scale = nonZero - fracStart;
    exponent = BigInt(-scale);
    if (scale > 67 && coefficient !== 0n) throw rainError(OP, "ParseDecimalPrecisionLoss");
    // `10 ** scale` is unchecked: from 256 digits on it wraps to 0 and the division check panics.
    if (scale >= 256) throw panicError(OP, 0x12);
    if (coefficient !== 0n) {
      const rescaled = coefficient * POW10[scale];
      if (rescaled > INT224_MAX || rescaled < INT224_MIN) {
        throw rainError(OP, "ParseDecimalPrecisionLoss");
      }
      coefficient = rescaled;
    }
    coefficient += fracValue;
  }

  if (cursor < end) {
    const code = str.charCodeAt(cursor);
    if (code === LOWER_E || code === UPPER_E) {
      cursor++;
      const eStart = cursor;
      while (cursor < end && str.charCodeAt(cursor) === DASH) cursor++;
      const digitsStart = cursor;
      while (cursor < end && isDigit(str.charCodeAt(cursor))) cursor++;
      if (cursor === digitsStart) throw rainError(OP, "MalformedExponentDigits");
      exponent = wrapInt256(exponent + signedInt(str, digitsStart - eStart, digitsStart, cursor));
    }
  }

  if (cursor !== end) throw rainError(OP, "ParseDecimalFloatExcessCharacters");
  return packLosslessParsed(coefficient, exponent);
}

function packLosslessParsed(c: bigint, e: bigint): Float {
  // Within ±2^52 the shrink-then-check of packLossy runs on a plain number exponent (a shrink can
  // bring an exponent just below int32 back into range, ending in CoefficientOverflow instead).
  if (e >= -4503599627370496n && e <= 4503599627370496n) {
    if (!normalizeForPack(c, Number(e), OP, out)) {
      throw rainError(OP, "CoefficientOverflow", { signedCoefficient: c, exponent: e });
    }
    return encode(out.coefficient, out.exponent);
  }
  // Exponent outside int32: packLossy shrinks a too-large coefficient first, then reverts.
  return throwBigExponentOverflow(c, e, OP);
}
