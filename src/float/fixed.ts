/**
 * Conversions between Floats and fixed-point decimal `uint256` amounts (token amounts with
 * `decimals`), as `LibDecimalFloat.fromFixedDecimal*` / `toFixedDecimal*`.
 *
 * @module
 */
import { INT256_MAX, POW10, UINT256_MAX } from "./constants.ts";
import { inputError, panicError, rainError } from "./errors.ts";
import { decode, encode, type MutableUnpacked, normalizeForPack } from "./pack.ts";
import type { Float, LossyResult } from "./types.ts";

const out: MutableUnpacked = { coefficient: 0n, exponent: 0 };

function checkValue(value: bigint, op: string): void {
  if (typeof value !== "bigint" || value < 0n || value > UINT256_MAX) {
    throw inputError(op, "value", value, "expected a uint256 bigint");
  }
}

function checkDecimals(decimals: number, op: string): void {
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 255) {
    throw inputError(op, "decimals", decimals, "expected a uint8");
  }
}

/**
 * A Float from a fixed-point amount, reporting loss instead of throwing
 * (`fromFixedDecimalLossyPacked`): values above int256 drop their last digit and values above
 * int224 are truncated when packed. Negative values and decimals outside `uint8` throw
 * `FloatInputError` (the Solidity takes `uint256`/`uint8`).
 *
 * @example
 * ```ts
 * import { format, fromFixedDecimalLossy } from "./mod.ts";
 * const { value, lossless } = fromFixedDecimalLossy(12345n, 2);
 * console.log(format(value), lossless); // "123.45" true
 * ```
 */
export function fromFixedDecimalLossy(value: bigint, decimals: number): LossyResult<Float> {
  const op = "fromFixedDecimalLossy";
  checkValue(value, op);
  checkDecimals(decimals, op);
  let c = value, e = -decimals, lossless = true;
  if (value > INT256_MAX) {
    c = value / 10n;
    e += 1;
    lossless = value % 10n === 0n;
  }
  const packLossless = normalizeForPack(c, e, op, out);
  return { value: encode(out.coefficient, out.exponent), lossless: lossless && packLossless };
}

/**
 * A Float from a fixed-point amount, exactly (`fromFixedDecimalLosslessPacked`): throws
 * `FloatError` `LossyConversionToFloat` when a digit would be dropped above int256 and
 * `CoefficientOverflow` when the amount does not fit the int224 coefficient.
 *
 * @example
 * ```ts
 * import { format, fromFixedDecimal } from "./mod.ts";
 * console.log(format(fromFixedDecimal(1500000000000000000n, 18))); // "1.5"
 * ```
 */
export function fromFixedDecimal(value: bigint, decimals: number): Float {
  const op = "fromFixedDecimal";
  checkValue(value, op);
  checkDecimals(decimals, op);
  let c = value, e = -decimals;
  if (value > INT256_MAX) {
    c = value / 10n;
    e += 1;
    if (value % 10n !== 0n) {
      throw rainError(op, "LossyConversionToFloat", { signedCoefficient: c, exponent: e });
    }
  }
  if (!normalizeForPack(c, e, op, out)) {
    throw rainError(op, "CoefficientOverflow", { signedCoefficient: c, exponent: e });
  }
  return encode(out.coefficient, out.exponent);
}

function toFixedCore(
  float: Float,
  decimals: number,
  op: string,
  lossy: boolean,
): LossyResult<bigint> {
  checkDecimals(decimals, op);
  const { coefficient: c, exponent: e } = decode(float, op);
  if (c < 0n) {
    throw rainError(op, "NegativeFixedDecimalConversion", { signedCoefficient: c, exponent: e });
  }
  if (c === 0n) return { value: 0n, lossless: true };
  const fe = e + decimals;
  let value: bigint, lossless: boolean;
  if (fe < 0) {
    if (fe < -77) {
      value = 0n;
      lossless = false;
    } else {
      const scale = POW10[-fe];
      value = c / scale;
      lossless = value * scale === c;
    }
  } else if (fe > 0) {
    // Checked `10 ** fe` and checked multiply: both overflow as Panic(0x11).
    if (fe > 77) throw panicError(op, 0x11);
    value = c * POW10[fe];
    if (value > UINT256_MAX) throw panicError(op, 0x11);
    lossless = true;
  } else {
    value = c;
    lossless = true;
  }
  if (!lossy && !lossless) {
    throw rainError(op, "LossyConversionFromFloat", { signedCoefficient: c, exponent: e });
  }
  return { value, lossless };
}

/**
 * A fixed-point amount from a Float, reporting loss (`toFixedDecimalLossy`): truncates toward zero.
 * Negative Floats throw `FloatError` `NegativeFixedDecimalConversion`; amounts beyond `uint256`
 * throw `Panic(0x11)`.
 *
 * @example
 * ```ts
 * import { parse, toFixedDecimalLossy } from "./mod.ts";
 * console.log(toFixedDecimalLossy(parse("1.2345"), 2)); // { value: 123n, lossless: false }
 * ```
 */
export function toFixedDecimalLossy(float: Float, decimals: number): LossyResult<bigint> {
  return toFixedCore(float, decimals, "toFixedDecimalLossy", true);
}

/**
 * A fixed-point amount from a Float, exactly (`toFixedDecimalLossless`): throws `FloatError`
 * `LossyConversionFromFloat` when digits would be dropped.
 *
 * @example
 * ```ts
 * import { parse, toFixedDecimal } from "./mod.ts";
 * console.log(toFixedDecimal(parse("1.5"), 18)); // 1500000000000000000n
 * ```
 */
export function toFixedDecimal(float: Float, decimals: number): bigint {
  return toFixedCore(float, decimals, "toFixedDecimal", false).value;
}
