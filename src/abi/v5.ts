/**
 * The V5 orderbook ABI: `IOrderBookV5` (rain.orderbook.interface) plus the errors of the concrete
 * `OrderBook.sol` of rain.orderbook's V5 line.
 *
 * @module
 */
import { orderbookEventsAbi } from "./events.ts";
import { orderbookSharedErrorsAbi, orderbookSharedFunctionsAbi } from "./shared.ts";
import {
  orderConfigV4Components,
  takeOrdersConfigV4Components,
  taskV2Components,
} from "./structs.ts";

/**
 * ABI of the functions only V5 has: `addOrder3`, `deposit3`, `withdraw3`, `takeOrders3`.
 *
 * @example
 * ```ts
 * import { orderbookV5FunctionsAbi } from "./v5.ts";
 * console.log(orderbookV5FunctionsAbi.map((f) => f.name)); // ["addOrder3", "deposit3", ...]
 * ```
 */
export const orderbookV5FunctionsAbi = [
  {
    type: "function",
    name: "addOrder3",
    stateMutability: "nonpayable",
    inputs: [
      { name: "config", type: "tuple", components: orderConfigV4Components },
      { name: "tasks", type: "tuple[]", components: taskV2Components },
    ],
    outputs: [{ name: "stateChanged", type: "bool" }],
  },
  {
    type: "function",
    name: "deposit3",
    stateMutability: "nonpayable",
    inputs: [
      { name: "token", type: "address" },
      { name: "vaultId", type: "bytes32" },
      { name: "depositAmount", type: "bytes32" },
      { name: "tasks", type: "tuple[]", components: taskV2Components },
    ],
    outputs: [],
  },
  {
    type: "function",
    name: "withdraw3",
    stateMutability: "nonpayable",
    inputs: [
      { name: "token", type: "address" },
      { name: "vaultId", type: "bytes32" },
      { name: "targetAmount", type: "bytes32" },
      { name: "tasks", type: "tuple[]", components: taskV2Components },
    ],
    outputs: [],
  },
  {
    type: "function",
    name: "takeOrders3",
    stateMutability: "nonpayable",
    inputs: [{ name: "config", type: "tuple", components: takeOrdersConfigV4Components }],
    outputs: [
      { name: "totalTakerInput", type: "bytes32" },
      { name: "totalTakerOutput", type: "bytes32" },
    ],
  },
] as const;

/**
 * ABI of the errors only V5 has (or has with a V5-only signature, such as
 * `NotOrderOwner(address sender, address owner)`).
 *
 * @example
 * ```ts
 * import { orderbookV5ErrorsAbi } from "./v5.ts";
 * console.log(orderbookV5ErrorsAbi.some((e) => e.name === "MinimumInput")); // true
 * ```
 */
export const orderbookV5ErrorsAbi = [
  { type: "error", name: "ZeroMaximumInput", inputs: [] },
  {
    type: "error",
    name: "MinimumInput",
    inputs: [
      { name: "minimumInput", type: "bytes32" },
      { name: "input", type: "bytes32" },
    ],
  },
  {
    type: "error",
    name: "NotOrderOwner",
    inputs: [
      { name: "sender", type: "address" },
      { name: "owner", type: "address" },
    ],
  },
  { type: "error", name: "TokenDecimalsMismatch", inputs: [] },
  {
    type: "error",
    name: "UnsupportedCalculateInputs",
    inputs: [{ name: "inputs", type: "uint256" }],
  },
  { type: "error", name: "NegativeInput", inputs: [] },
  { type: "error", name: "NegativeOutput", inputs: [] },
] as const;

/**
 * The whole V5 orderbook ABI (`IOrderBookV5`): shared and V5 functions, the shared events, and all
 * errors the V5 contract can revert with.
 *
 * @example
 * ```ts
 * import { encodeFunctionData } from "viem";
 * import { orderbookV5Abi } from "./v5.ts";
 * const data = encodeFunctionData({
 *   abi: orderbookV5Abi,
 *   functionName: "orderExists",
 *   args: [`0x${"00".repeat(32)}`],
 * });
 * console.log(data.slice(0, 10));
 * ```
 */
export const orderbookV5Abi = [
  ...orderbookSharedFunctionsAbi,
  ...orderbookV5FunctionsAbi,
  ...orderbookEventsAbi,
  ...orderbookSharedErrorsAbi,
  ...orderbookV5ErrorsAbi,
] as const;

/** Type of {@link orderbookV5Abi}. */
export type OrderbookV5Abi = typeof orderbookV5Abi;
