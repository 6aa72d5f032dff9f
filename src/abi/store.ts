/**
 * Calldata and return data of `IInterpreterStoreV3.get`, for hosts that answer store reads from a
 * virtual store.
 *
 * @module
 */
import { decodeAbiParameters, encodeAbiParameters, type Hex, toFunctionSelector } from "viem";
import { AbiDecodeError, AbiEncodeError } from "./errors.ts";
import { interpreterStoreV3Abi } from "./interpreter.ts";

const getItem = interpreterStoreV3Abi[1];

/**
 * The 4-byte selector of `get(uint256,bytes32)`.
 *
 * @example
 * ```ts
 * import { storeGetSelector } from "./store.ts";
 * console.log(storeGetSelector.length); // 10
 * ```
 */
export const storeGetSelector: Hex = toFunctionSelector(getItem);

/** A decoded `get(namespace, key)` call. */
export type StoreGetCall = {
  /** Fully qualified namespace. */
  namespace: bigint;
  /** Key (`bytes32`). */
  key: Hex;
};

/**
 * Decodes calldata of the store's `get`, or returns `undefined` when the selector is another
 * function's (so a handler can fall through).
 *
 * @param data Calldata sent to the store.
 * @returns The namespace and key read, or `undefined` for other selectors.
 * @throws {AbiDecodeError} When the selector is `get`'s but the arguments are malformed.
 *
 * @example
 * ```ts
 * import { encodeFunctionData } from "viem";
 * import { interpreterStoreV3Abi } from "./interpreter.ts";
 * import { decodeStoreGetCall } from "./store.ts";
 * const data = encodeFunctionData({
 *   abi: interpreterStoreV3Abi,
 *   functionName: "get",
 *   args: [5n, `0x${"00".repeat(31)}02`],
 * });
 * console.log(decodeStoreGetCall(data)?.namespace); // 5n
 * ```
 */
export function decodeStoreGetCall(data: Hex): StoreGetCall | undefined {
  if (data.slice(0, 10).toLowerCase() !== storeGetSelector) return undefined;
  try {
    const [namespace, key] = decodeAbiParameters(getItem.inputs, `0x${data.slice(10)}`);
    return { namespace, key };
  } catch (error) {
    throw new AbiDecodeError("store get calldata", data, { cause: error });
  }
}

/**
 * Return data of the store's `get`: the value as one ABI word.
 *
 * @param value The stored `bytes32` (zero when never set).
 * @returns ABI-encoded return data.
 * @throws {AbiEncodeError} When `value` is not 32 bytes of hex.
 *
 * @example
 * ```ts
 * import { encodeStoreGetResult } from "./store.ts";
 * console.log(encodeStoreGetResult(`0x${"00".repeat(31)}2a`).length); // 66
 * ```
 */
export function encodeStoreGetResult(value: Hex): Hex {
  try {
    return encodeAbiParameters(getItem.outputs, [value]);
  } catch (error) {
    throw new AbiEncodeError("bytes32", String(error instanceof Error ? error.message : error), {
      cause: error,
    });
  }
}
