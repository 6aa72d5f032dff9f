/**
 * Typed errors of the Float module. Every failure Rain's Solidity can raise is one `FloatError`
 * carrying the Rain error name (or the Solidity panic code); inputs the Solidity cannot even receive
 * (a negative `uint256`, a non-`uint8` decimals, a malformed hex word) raise `FloatInputError`.
 *
 * @module
 */
import { VraindexError } from "../errors/mod.ts";

/** Rain error names (from rain.math.float and rain.string) and `Panic` for Solidity panics. */
export type RainFloatErrorName =
  | "CoefficientOverflow"
  | "ExponentOverflow"
  | "NegativeFixedDecimalConversion"
  | "LossyConversionToFloat"
  | "LossyConversionFromFloat"
  | "MulDivOverflow"
  | "DivisionByZero"
  | "ParseEmptyDecimalString"
  | "ParseDecimalOverflow"
  | "MalformedDecimalPoint"
  | "MalformedExponentDigits"
  | "ParseDecimalPrecisionLoss"
  | "ParseDecimalFloatExcessCharacters"
  | "Panic";

/** Details of a {@link FloatError}. Arguments are decimal strings so details stay JSON-safe. */
export type FloatErrorDetails = {
  /** The operation that failed, e.g. `"div"`. */
  readonly op: string;
  /** The Rain error name, or `"Panic"` for a Solidity panic. */
  readonly rainError: RainFloatErrorName;
  /** The Rain error's arguments by their Solidity names (decimal strings); empty for selectors. */
  readonly args: Readonly<Record<string, string>>;
  /** Solidity panic code (`0x11` overflow, `0x12` division by zero) when `rainError` is `"Panic"`. */
  readonly panicCode?: number;
};

/**
 * An error Rain's Float implementation raises for the same input: same Rain error name and
 * arguments, or the same Solidity panic code.
 *
 * @example
 * ```ts
 * import { div, FLOAT_ONE, FLOAT_ZERO, FloatError } from "./mod.ts";
 * try {
 *   div(FLOAT_ONE, FLOAT_ZERO);
 * } catch (error) {
 *   if (error instanceof FloatError) console.log(error.details.rainError); // "MulDivOverflow"
 * }
 * ```
 */
export class FloatError extends VraindexError<FloatErrorDetails> {
  override readonly name = "FloatError";
}

/** Details of a {@link FloatInputError}. */
export type FloatInputErrorDetails = {
  /** The operation that rejected its input. */
  readonly op: string;
  /** The parameter at fault. */
  readonly param: string;
  /** The rejected value, as a string. */
  readonly value: string;
};

/**
 * An input the Solidity could not receive at all (negative or too large `uint256`, decimals outside
 * `uint8`, a string that is not a 32-byte hex word).
 *
 * @example
 * ```ts
 * import { fromFixedDecimal, FloatInputError } from "./mod.ts";
 * try {
 *   fromFixedDecimal(-1n, 18);
 * } catch (error) {
 *   console.log(error instanceof FloatInputError); // true
 * }
 * ```
 */
export class FloatInputError extends VraindexError<FloatInputErrorDetails> {
  override readonly name = "FloatInputError";
}

/** Builds a FloatError for a Rain custom error. */
export function rainError(
  op: string,
  name: RainFloatErrorName,
  args: Record<string, bigint | number> = {},
): FloatError {
  const strArgs: Record<string, string> = {};
  const parts: string[] = [];
  for (const key in args) {
    strArgs[key] = String(args[key]);
    parts.push(`${key}: ${strArgs[key]}`);
  }
  return new FloatError(`Float ${op} reverted with ${name}(${parts.join(", ")})`, {
    op,
    rainError: name,
    args: strArgs,
  });
}

/** Builds a FloatError for a Solidity panic (`0x11` arithmetic overflow, `0x12` division by zero). */
export function panicError(op: string, code: number): FloatError {
  const hex = `0x${code.toString(16).padStart(2, "0")}`;
  const what = code === 0x12 ? "division by zero" : code === 0x11 ? "arithmetic overflow" : "panic";
  return new FloatError(`Float ${op} panicked with Panic(${hex}) (${what})`, {
    op,
    rainError: "Panic",
    args: { code: hex },
    panicCode: code,
  });
}

/** Builds a FloatInputError. */
export function inputError(
  op: string,
  param: string,
  value: unknown,
  why: string,
): FloatInputError {
  return new FloatInputError(`Float ${op}: invalid ${param} ${String(value)}: ${why}`, {
    op,
    param,
    value: String(value),
  });
}
