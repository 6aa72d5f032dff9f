/**
 * The version seam: one place that maps an orderbook version to its ABI and to the names of the
 * functions that differ between versions.
 *
 * @module
 */
import { UnsupportedOrderbookVersionError } from "./errors.ts";
import { type OrderbookV5Abi, orderbookV5Abi } from "./v5.ts";
import { type OrderbookV6Abi, orderbookV6Abi } from "./v6.ts";

/** Orderbook interface versions vraindex understands: `IOrderBookV5` and `IRaindexV6`. */
export type OrderbookVersion = "v5" | "v6";

/**
 * Every supported version, oldest first.
 *
 * @example
 * ```ts
 * import { orderbookVersions } from "./version.ts";
 * console.log(orderbookVersions); // ["v5", "v6"]
 * ```
 */
export const orderbookVersions: readonly OrderbookVersion[] = ["v5", "v6"];

/** The ABI type of one orderbook version. */
export type OrderbookAbi<V extends OrderbookVersion> = V extends "v5" ? OrderbookV5Abi
  : OrderbookV6Abi;

/** The names of the functions whose name depends on the version. */
export type OrderbookFunctionNames<V extends OrderbookVersion> = V extends "v5" ? {
    addOrder: "addOrder3";
    deposit: "deposit3";
    withdraw: "withdraw3";
    takeOrders: "takeOrders3";
  }
  : {
    addOrder: "addOrder4";
    deposit: "deposit4";
    withdraw: "withdraw4";
    takeOrders: "takeOrders4";
  };

/**
 * True when `value` names a supported orderbook version.
 *
 * @example
 * ```ts
 * import { isOrderbookVersion } from "./version.ts";
 * console.log(isOrderbookVersion("v6"), isOrderbookVersion("v4")); // true false
 * ```
 */
export function isOrderbookVersion(value: unknown): value is OrderbookVersion {
  return value === "v5" || value === "v6";
}

/** Errors {@link orderbookAbi} and {@link orderbookFunctionNames} can raise. */
export type OrderbookAbiErrorType = UnsupportedOrderbookVersionError;

/**
 * The full ABI (functions, events, errors) of one orderbook version.
 *
 * @param version `"v5"` (`IOrderBookV5`) or `"v6"` (`IRaindexV6`).
 * @returns The `as const` ABI, typed for viem.
 * @throws {UnsupportedOrderbookVersionError} For any other version string.
 *
 * @example
 * ```ts
 * import { encodeFunctionData } from "viem";
 * import { orderbookAbi } from "./version.ts";
 * const data = encodeFunctionData({
 *   abi: orderbookAbi("v6"),
 *   functionName: "orderExists",
 *   args: [`0x${"00".repeat(32)}`],
 * });
 * console.log(data.length); // 74
 * ```
 */
export function orderbookAbi<V extends OrderbookVersion>(version: V): OrderbookAbi<V> {
  if (version === "v5") return orderbookV5Abi as OrderbookAbi<V>;
  if (version === "v6") return orderbookV6Abi as OrderbookAbi<V>;
  throw new UnsupportedOrderbookVersionError(String(version));
}

/**
 * The version-specific function names (`addOrder3` vs `addOrder4`, …), so callers write one code
 * path for both versions.
 *
 * @param version `"v5"` or `"v6"`.
 * @returns The names of `addOrder`, `deposit`, `withdraw` and `takeOrders` in that version.
 * @throws {UnsupportedOrderbookVersionError} For any other version string.
 *
 * @example
 * ```ts
 * import { orderbookFunctionNames } from "./version.ts";
 * console.log(orderbookFunctionNames("v5").deposit); // "deposit3"
 * ```
 */
export function orderbookFunctionNames<V extends OrderbookVersion>(
  version: V,
): OrderbookFunctionNames<V> {
  if (version === "v5") {
    return {
      addOrder: "addOrder3",
      deposit: "deposit3",
      withdraw: "withdraw3",
      takeOrders: "takeOrders3",
    } as OrderbookFunctionNames<V>;
  }
  if (version === "v6") {
    return {
      addOrder: "addOrder4",
      deposit: "deposit4",
      withdraw: "withdraw4",
      takeOrders: "takeOrders4",
    } as OrderbookFunctionNames<V>;
  }
  throw new UnsupportedOrderbookVersionError(String(version));
}
