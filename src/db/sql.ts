/**
 * SQL text helpers shared by the back ends and the repository: identifier checks, literals, hex.
 *
 * @module
 */
import type { DbValue } from "./types.ts";

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Quotes a table or column name after checking it is a plain identifier (letters, digits, `_`):
 * names reach SQL text, so anything else is refused rather than escaped.
 *
 * @example
 * ```ts
 * import { quoteIdent } from "./sql.ts";
 * console.log(quoteIdent("raw_events")); // "raw_events" in double quotes
 * ```
 */
export function quoteIdent(name: string): string {
  if (!IDENTIFIER.test(name)) {
    throw new TypeError(`not a plain SQL identifier: ${JSON.stringify(name)}`);
  }
  return `"${name}"`;
}

/**
 * A SQL string literal (single quotes doubled).
 *
 * @example
 * ```ts
 * import { quoteString } from "./sql.ts";
 * console.log(quoteString("it's")); // 'it''s'
 * ```
 */
export function quoteString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/**
 * A SQL literal for a {@link DbValue}; the target column's type converts it on insert.
 *
 * @example
 * ```ts
 * import { sqlLiteral } from "./sql.ts";
 * console.log(sqlLiteral(2n ** 64n - 1n), sqlLiteral(null), sqlLiteral("a")); // 18446744073709551615 NULL 'a'
 * ```
 */
export function sqlLiteral(value: DbValue): string {
  switch (typeof value) {
    case "string":
      return quoteString(value);
    case "bigint":
      return value.toString();
    case "number":
      if (!Number.isFinite(value)) throw new TypeError(`cannot write ${value} to SQL`);
      return Object.is(value, -0) ? "0" : String(value);
    case "boolean":
      return value ? "TRUE" : "FALSE";
    default:
      if (value === null) return "NULL";
      throw new TypeError(`unsupported SQL value of type ${typeof value}`);
  }
}

/**
 * A stored integer as a `bigint` (`Db.query` gives BIGINT-like columns as bigints, callers may
 * hold numbers or decimal strings).
 *
 * @example
 * ```ts
 * import { toBigInt } from "./sql.ts";
 * console.log(toBigInt(7), toBigInt("8"), toBigInt(9n)); // 7n 8n 9n
 * ```
 */
export function toBigInt(value: DbValue): bigint {
  return typeof value === "bigint" ? value : BigInt(value as number | string);
}

const HEX_DIGITS = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/**
 * Lowercase `0x…` hex of bytes (how BLOB values come out of `Db.query`).
 *
 * @example
 * ```ts
 * import { bytesToHex } from "./sql.ts";
 * console.log(bytesToHex(new Uint8Array([0xab, 1]))); // 0xab01
 * ```
 */
export function bytesToHex(bytes: Uint8Array): string {
  let out = "0x";
  for (let i = 0; i < bytes.length; i++) out += HEX_DIGITS[bytes[i]];
  return out;
}

/**
 * Bytes of a `0x…` hex string (how BLOB columns are given to `Db.appendRows`).
 *
 * @example
 * ```ts
 * import { hexToBytes } from "./sql.ts";
 * console.log(hexToBytes("0xab01")); // Uint8Array(2) [ 171, 1 ]
 * ```
 */
export function hexToBytes(hex: string): Uint8Array {
  if (!/^0x([0-9a-fA-F]{2})*$/.test(hex)) throw new TypeError(`not even-length 0x hex: ${hex}`);
  const out = new Uint8Array((hex.length - 2) / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 + 2 * i, 4 + 2 * i), 16);
  return out;
}

/**
 * Decimal string of an unscaled integer with `scale` digits after the point (DECIMAL values).
 *
 * @example
 * ```ts
 * import { scaledToDecimalString } from "./sql.ts";
 * console.log(scaledToDecimalString(-125n, 2)); // -1.25
 * ```
 */
export function scaledToDecimalString(unscaled: bigint, scale: number): string {
  if (scale <= 0) return unscaled.toString();
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, "0");
  const text = `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return negative ? `-${text}` : text;
}
