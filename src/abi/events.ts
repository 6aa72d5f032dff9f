/**
 * The events every Rain orderbook emits, identical in V5 (`IOrderBookV5`) and V6 (`IRaindexV6`),
 * including `ContextV2` (from `IInterpreterCallerV4`) and `MetaV1_2` (from `IMetaV1_2`).
 *
 * None of them has indexed parameters: topic 0 is the signature and every argument is in the data.
 *
 * @module
 */
import {
  clearConfigV2Components,
  clearStateChangeV2Components,
  orderV4Components,
  takeOrderConfigV4Components,
} from "./structs.ts";

/**
 * ABI of the orderbook events shared by V5 and V6.
 *
 * @example
 * ```ts
 * import { toEventSelector } from "viem";
 * import { orderbookEventsAbi } from "./events.ts";
 * const deposit = orderbookEventsAbi.find((e) => e.name === "DepositV2")!;
 * console.log(toEventSelector(deposit)); // topic 0 of DepositV2 logs
 * ```
 */
export const orderbookEventsAbi = [
  {
    type: "event",
    name: "AddOrderV3",
    anonymous: false,
    inputs: [
      { name: "sender", type: "address", indexed: false },
      { name: "orderHash", type: "bytes32", indexed: false },
      { name: "order", type: "tuple", indexed: false, components: orderV4Components },
    ],
  },
  {
    type: "event",
    name: "RemoveOrderV3",
    anonymous: false,
    inputs: [
      { name: "sender", type: "address", indexed: false },
      { name: "orderHash", type: "bytes32", indexed: false },
      { name: "order", type: "tuple", indexed: false, components: orderV4Components },
    ],
  },
  {
    type: "event",
    name: "DepositV2",
    anonymous: false,
    inputs: [
      { name: "sender", type: "address", indexed: false },
      { name: "token", type: "address", indexed: false },
      { name: "vaultId", type: "bytes32", indexed: false },
      { name: "depositAmountUint256", type: "uint256", indexed: false },
    ],
  },
  {
    type: "event",
    name: "WithdrawV2",
    anonymous: false,
    inputs: [
      { name: "sender", type: "address", indexed: false },
      { name: "token", type: "address", indexed: false },
      { name: "vaultId", type: "bytes32", indexed: false },
      { name: "targetAmount", type: "bytes32", indexed: false },
      { name: "withdrawAmount", type: "bytes32", indexed: false },
      { name: "withdrawAmountUint256", type: "uint256", indexed: false },
    ],
  },
  {
    type: "event",
    name: "TakeOrderV3",
    anonymous: false,
    inputs: [
      { name: "sender", type: "address", indexed: false },
      { name: "config", type: "tuple", indexed: false, components: takeOrderConfigV4Components },
      { name: "input", type: "bytes32", indexed: false },
      { name: "output", type: "bytes32", indexed: false },
    ],
  },
  {
    type: "event",
    name: "ClearV3",
    anonymous: false,
    inputs: [
      { name: "sender", type: "address", indexed: false },
      { name: "alice", type: "tuple", indexed: false, components: orderV4Components },
      { name: "bob", type: "tuple", indexed: false, components: orderV4Components },
      { name: "clearConfig", type: "tuple", indexed: false, components: clearConfigV2Components },
    ],
  },
  {
    type: "event",
    name: "AfterClearV2",
    anonymous: false,
    inputs: [
      { name: "sender", type: "address", indexed: false },
      {
        name: "clearStateChange",
        type: "tuple",
        indexed: false,
        components: clearStateChangeV2Components,
      },
    ],
  },
  {
    type: "event",
    name: "ContextV2",
    anonymous: false,
    inputs: [
      { name: "sender", type: "address", indexed: false },
      { name: "context", type: "bytes32[][]", indexed: false },
    ],
  },
  {
    type: "event",
    name: "MetaV1_2",
    anonymous: false,
    inputs: [
      { name: "sender", type: "address", indexed: false },
      { name: "subject", type: "bytes32", indexed: false },
      { name: "meta", type: "bytes", indexed: false },
    ],
  },
  {
    type: "event",
    name: "OrderNotFound",
    anonymous: false,
    inputs: [
      { name: "sender", type: "address", indexed: false },
      { name: "owner", type: "address", indexed: false },
      { name: "orderHash", type: "bytes32", indexed: false },
    ],
  },
  {
    type: "event",
    name: "OrderZeroAmount",
    anonymous: false,
    inputs: [
      { name: "sender", type: "address", indexed: false },
      { name: "owner", type: "address", indexed: false },
      { name: "orderHash", type: "bytes32", indexed: false },
    ],
  },
  {
    type: "event",
    name: "OrderExceedsMaxRatio",
    anonymous: false,
    inputs: [
      { name: "sender", type: "address", indexed: false },
      { name: "owner", type: "address", indexed: false },
      { name: "orderHash", type: "bytes32", indexed: false },
    ],
  },
] as const;

/** Type of {@link orderbookEventsAbi}. */
export type OrderbookEventsAbi = typeof orderbookEventsAbi;
