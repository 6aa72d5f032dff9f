/**
 * The V6 orderbook ("Raindex") ABI: `IRaindexV6` (rain.raindex.interface) plus the errors of the
 * concrete `OrderBookV6.sol` at rain.orderbook's HEAD.
 *
 * @module
 */
import { orderbookEventsAbi } from "./events.ts";
import { orderbookSharedErrorsAbi, orderbookSharedFunctionsAbi } from "./shared.ts";
import {
  orderConfigV4Components,
  takeOrdersConfigV5Components,
  taskV2Components,
} from "./structs.ts";

/**
 * ABI of the functions only V6 has: `addOrder4`, `deposit4`, `withdraw4` (same arguments as their
 * V5 counterparts) and `takeOrders4` (`TakeOrdersConfigV5`).
 *
 * @example
 * ```ts
 * import { orderbookV6FunctionsAbi } from "./v6.ts";
 * console.log(orderbookV6FunctionsAbi.map((f) => f.name)); // ["addOrder4", "deposit4", ...]
 * ```
 */
export const orderbookV6FunctionsAbi = [
  {
    type: "function",
    name: "addOrder4",
    stateMutability: "nonpayable",
    inputs: [
      { name: "config", type: "tuple", components: orderConfigV4Components },
      { name: "tasks", type: "tuple[]", components: taskV2Components },
    ],
    outputs: [{ name: "stateChanged", type: "bool" }],
  },
  {
    type: "function",
    name: "deposit4",
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
    name: "withdraw4",
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
    name: "takeOrders4",
    stateMutability: "nonpayable",
    inputs: [{ name: "config", type: "tuple", components: takeOrdersConfigV5Components }],
    outputs: [
      { name: "totalTakerInput", type: "bytes32" },
      { name: "totalTakerOutput", type: "bytes32" },
    ],
  },
] as const;

/**
 * ABI of the errors only V6 has, or has with a V6-only signature (`ZeroVaultId`, `ZeroMaximumIO`,
 * `MinimumIO`, `NotOrderOwner(address owner)`).
 *
 * @example
 * ```ts
 * import { orderbookV6ErrorsAbi } from "./v6.ts";
 * console.log(orderbookV6ErrorsAbi.some((e) => e.name === "ZeroVaultId")); // true
 * ```
 */
export const orderbookV6ErrorsAbi = [
  {
    type: "error",
    name: "ZeroVaultId",
    inputs: [
      { name: "sender", type: "address" },
      { name: "token", type: "address" },
    ],
  },
  { type: "error", name: "ZeroMaximumIO", inputs: [] },
  {
    type: "error",
    name: "MinimumIO",
    inputs: [
      { name: "minimumIO", type: "bytes32" },
      { name: "actualIO", type: "bytes32" },
    ],
  },
  {
    type: "error",
    name: "NotOrderOwner",
    inputs: [{ name: "owner", type: "address" }],
  },
] as const;

/**
 * The whole V6 orderbook ABI (`IRaindexV6`): shared and V6 functions, the shared events, and all
 * errors the V6 contract can revert with.
 *
 * @example
 * ```ts
 * import { encodeFunctionData } from "viem";
 * import { orderbookV6Abi } from "./v6.ts";
 * const data = encodeFunctionData({
 *   abi: orderbookV6Abi,
 *   functionName: "vaultBalance2",
 *   args: [
 *     "0x1111111111111111111111111111111111111111",
 *     "0x2222222222222222222222222222222222222222",
 *     `0x${"00".repeat(31)}01`,
 *   ],
 * });
 * console.log(data.slice(0, 10));
 * ```
 */
export const orderbookV6Abi = [
  ...orderbookSharedFunctionsAbi,
  ...orderbookV6FunctionsAbi,
  ...orderbookEventsAbi,
  ...orderbookSharedErrorsAbi,
  ...orderbookV6ErrorsAbi,
] as const;

/** Type of {@link orderbookV6Abi}. */
export type OrderbookV6Abi = typeof orderbookV6Abi;
