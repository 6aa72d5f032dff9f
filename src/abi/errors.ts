/**
 * Typed errors raised by the ABI module.
 *
 * @module
 */
import { VraindexError } from "../errors/mod.ts";

/**
 * An orderbook version other than `"v5"` or `"v6"` was asked for (a JavaScript caller, or data read
 * from a file).
 *
 * @example
 * ```ts
 * import { UnsupportedOrderbookVersionError } from "./errors.ts";
 * const error = new UnsupportedOrderbookVersionError("v7");
 * console.log(error.name, error.details.version); // UnsupportedOrderbookVersionError v7
 * ```
 */
export class UnsupportedOrderbookVersionError extends VraindexError<{ version: string }> {
  override readonly name = "UnsupportedOrderbookVersionError";
  /** Creates the error for the version that was asked for. */
  constructor(version: string) {
    super(`unsupported orderbook version ${JSON.stringify(version)} (expected "v5" or "v6")`, {
      version,
    });
  }
}

/**
 * A value handed to an ABI helper cannot be the Solidity type it stands for (an address that is not
 * 20 bytes of hex, a `uint256` out of range, …).
 *
 * @example
 * ```ts
 * import { InvalidAbiValueError } from "./errors.ts";
 * const error = new InvalidAbiValueError("owner", "0x12", "address");
 * console.log(error.message); // owner: "0x12" is not a valid address
 * ```
 */
export class InvalidAbiValueError
  extends VraindexError<{ field: string; value: string; expected: string }> {
  override readonly name = "InvalidAbiValueError";
  /** Creates the error for `field` holding `value`, which should be an `expected`. */
  constructor(field: string, value: string, expected: string) {
    super(`${field}: ${JSON.stringify(value)} is not a valid ${expected}`, {
      field,
      value,
      expected,
    });
  }
}

/**
 * ABI data could not be decoded as the expected return type (truncated or malformed return data).
 *
 * @example
 * ```ts
 * import { AbiDecodeError } from "./errors.ts";
 * const error = new AbiDecodeError("eval4 result", "0x1234");
 * console.log(error.details.what); // eval4 result
 * ```
 */
export class AbiDecodeError extends VraindexError<{ what: string; data: string }> {
  override readonly name = "AbiDecodeError";
  /** Creates the error for `data` that failed to decode as `what`. */
  constructor(what: string, data: string, options?: { cause?: unknown }) {
    const shown = data.length > 74 ? `${data.slice(0, 74)}…` : data;
    super(`cannot decode ${what} from ${shown} (${(data.length - 2) / 2} bytes)`, {
      what,
      data,
    }, options);
  }
}

/**
 * A value could not be ABI-encoded as the struct it should be (an address with a bad checksum, a
 * `bytes32` of the wrong length, a negative `uint256`, …).
 *
 * @example
 * ```ts
 * import { AbiEncodeError } from "./errors.ts";
 * const error = new AbiEncodeError("OrderV4", "Address \"0x12\" is invalid.");
 * console.log(error.details.what); // OrderV4
 * ```
 */
export class AbiEncodeError extends VraindexError<{ what: string; reason: string }> {
  override readonly name = "AbiEncodeError";
  /** Creates the error for a value that failed to encode as `what`, with the encoder's reason. */
  constructor(what: string, reason: string, options?: { cause?: unknown }) {
    super(`cannot ABI-encode ${what}: ${reason}`, { what, reason }, options);
  }
}
