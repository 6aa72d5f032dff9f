/**
 * ABIs of Rain's interpreter (`IInterpreterV4`) and store (`IInterpreterStoreV3`) from
 * rain.interpreter.interface.
 *
 * @module
 */
import { evalV4Components } from "./structs.ts";

/**
 * ABI of `IInterpreterV4`: `eval4(EvalV4) returns (bytes32[] stack, bytes32[] writes)`. The stack
 * comes back top-first; `writes` are flat key/value pairs.
 *
 * @example
 * ```ts
 * import { toFunctionSelector } from "viem";
 * import { interpreterV4Abi } from "./interpreter.ts";
 * console.log(toFunctionSelector(interpreterV4Abi[0]));
 * ```
 */
export const interpreterV4Abi = [
  {
    type: "function",
    name: "eval4",
    stateMutability: "view",
    inputs: [{ name: "eval", type: "tuple", components: evalV4Components }],
    outputs: [
      { name: "stack", type: "bytes32[]" },
      { name: "writes", type: "bytes32[]" },
    ],
  },
] as const;

/** Type of {@link interpreterV4Abi}. */
export type InterpreterV4Abi = typeof interpreterV4Abi;

/**
 * ABI of `IInterpreterStoreV3`: `set(uint256 namespace, bytes32[] kvs)` (a `StateNamespace`, which
 * the store qualifies with `msg.sender`), `get(uint256 namespace, bytes32 key)` (a fully qualified
 * namespace) and the unindexed event `Set(uint256 namespace, bytes32 key, bytes32 value)` carrying the
 * fully qualified namespace. Also `OddSetLength`, the store's one error.
 *
 * @example
 * ```ts
 * import { encodeFunctionData } from "viem";
 * import { interpreterStoreV3Abi } from "./interpreter.ts";
 * const data = encodeFunctionData({
 *   abi: interpreterStoreV3Abi,
 *   functionName: "get",
 *   args: [1n, `0x${"00".repeat(32)}`],
 * });
 * console.log(data.length); // 138
 * ```
 */
export const interpreterStoreV3Abi = [
  {
    type: "function",
    name: "set",
    stateMutability: "nonpayable",
    inputs: [
      { name: "namespace", type: "uint256" },
      { name: "kvs", type: "bytes32[]" },
    ],
    outputs: [],
  },
  {
    type: "function",
    name: "get",
    stateMutability: "view",
    inputs: [
      { name: "namespace", type: "uint256" },
      { name: "key", type: "bytes32" },
    ],
    outputs: [{ name: "", type: "bytes32" }],
  },
  {
    type: "event",
    name: "Set",
    anonymous: false,
    inputs: [
      { name: "namespace", type: "uint256", indexed: false },
      { name: "key", type: "bytes32", indexed: false },
      { name: "value", type: "bytes32", indexed: false },
    ],
  },
  {
    type: "error",
    name: "OddSetLength",
    inputs: [{ name: "length", type: "uint256" }],
  },
] as const;

/** Type of {@link interpreterStoreV3Abi}. */
export type InterpreterStoreV3Abi = typeof interpreterStoreV3Abi;
