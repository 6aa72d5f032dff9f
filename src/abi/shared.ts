/**
 * Functions and errors that V5 (`IOrderBookV5` + `OrderBook.sol`) and V6 (`IRaindexV6` +
 * `OrderBookV6.sol`) declare with identical signatures.
 *
 * @module
 */
import {
  clearConfigV2Components,
  orderV4Components,
  quoteV2Components,
  signedContextV1Components,
  taskV2Components,
} from "./structs.ts";

/**
 * ABI of the functions shared by V5 and V6: `quote2`, `vaultBalance2`, `orderExists`,
 * `removeOrder3`, `clear3`, `entask2`, the orderbook's own OpenZeppelin `multicall`, and the
 * ERC-3156 flash lender / ERC-165 functions every orderbook inherits.
 *
 * @example
 * ```ts
 * import { orderbookSharedFunctionsAbi } from "./shared.ts";
 * console.log(orderbookSharedFunctionsAbi.map((f) => f.name).includes("quote2")); // true
 * ```
 */
export const orderbookSharedFunctionsAbi = [
  {
    type: "function",
    name: "quote2",
    stateMutability: "view",
    inputs: [{ name: "quoteConfig", type: "tuple", components: quoteV2Components }],
    outputs: [
      { name: "exists", type: "bool" },
      { name: "outputMax", type: "bytes32" },
      { name: "ioRatio", type: "bytes32" },
    ],
  },
  {
    type: "function",
    name: "vaultBalance2",
    stateMutability: "view",
    inputs: [
      { name: "owner", type: "address" },
      { name: "token", type: "address" },
      { name: "vaultId", type: "bytes32" },
    ],
    outputs: [{ name: "balance", type: "bytes32" }],
  },
  {
    type: "function",
    name: "orderExists",
    stateMutability: "view",
    inputs: [{ name: "orderHash", type: "bytes32" }],
    outputs: [{ name: "exists", type: "bool" }],
  },
  {
    type: "function",
    name: "removeOrder3",
    stateMutability: "nonpayable",
    inputs: [
      { name: "order", type: "tuple", components: orderV4Components },
      { name: "tasks", type: "tuple[]", components: taskV2Components },
    ],
    outputs: [{ name: "stateChanged", type: "bool" }],
  },
  {
    type: "function",
    name: "clear3",
    stateMutability: "nonpayable",
    inputs: [
      { name: "alice", type: "tuple", components: orderV4Components },
      { name: "bob", type: "tuple", components: orderV4Components },
      { name: "clearConfig", type: "tuple", components: clearConfigV2Components },
      { name: "aliceSignedContext", type: "tuple[]", components: signedContextV1Components },
      { name: "bobSignedContext", type: "tuple[]", components: signedContextV1Components },
    ],
    outputs: [],
  },
  {
    type: "function",
    name: "entask2",
    stateMutability: "nonpayable",
    inputs: [{ name: "tasks", type: "tuple[]", components: taskV2Components }],
    outputs: [],
  },
  {
    type: "function",
    name: "multicall",
    stateMutability: "nonpayable",
    inputs: [{ name: "data", type: "bytes[]" }],
    outputs: [{ name: "results", type: "bytes[]" }],
  },
  {
    type: "function",
    name: "flashLoan",
    stateMutability: "nonpayable",
    inputs: [
      { name: "receiver", type: "address" },
      { name: "token", type: "address" },
      { name: "amount", type: "uint256" },
      { name: "data", type: "bytes" },
    ],
    outputs: [{ name: "", type: "bool" }],
  },
  {
    type: "function",
    name: "flashFee",
    stateMutability: "view",
    inputs: [
      { name: "token", type: "address" },
      { name: "amount", type: "uint256" },
    ],
    outputs: [{ name: "", type: "uint256" }],
  },
  {
    type: "function",
    name: "maxFlashLoan",
    stateMutability: "view",
    inputs: [{ name: "token", type: "address" }],
    outputs: [{ name: "", type: "uint256" }],
  },
  {
    type: "function",
    name: "supportsInterface",
    stateMutability: "view",
    inputs: [{ name: "interfaceId", type: "bytes4" }],
    outputs: [{ name: "", type: "bool" }],
  },
] as const;

/** Type of {@link orderbookSharedFunctionsAbi}. */
export type OrderbookSharedFunctionsAbi = typeof orderbookSharedFunctionsAbi;

/**
 * ABI of the custom errors both orderbook versions declare with the same signature (interface
 * errors, the concrete contract's file-level errors, the TOFU decimals read failure and the flash
 * lender's callback failure). `TOFUOutcome` is an enum, so `uint8` in the ABI.
 *
 * @example
 * ```ts
 * import { orderbookSharedErrorsAbi } from "./shared.ts";
 * console.log(orderbookSharedErrorsAbi.some((e) => e.name === "TokenSelfTrade")); // true
 * ```
 */
export const orderbookSharedErrorsAbi = [
  {
    type: "error",
    name: "ZeroDepositAmount",
    inputs: [
      { name: "sender", type: "address" },
      { name: "token", type: "address" },
      { name: "vaultId", type: "bytes32" },
    ],
  },
  {
    type: "error",
    name: "ZeroWithdrawTargetAmount",
    inputs: [
      { name: "sender", type: "address" },
      { name: "token", type: "address" },
      { name: "vaultId", type: "bytes32" },
    ],
  },
  { type: "error", name: "OrderNoSources", inputs: [] },
  { type: "error", name: "OrderNoHandleIO", inputs: [] },
  { type: "error", name: "OrderNoInputs", inputs: [] },
  { type: "error", name: "OrderNoOutputs", inputs: [] },
  { type: "error", name: "NoOrders", inputs: [] },
  { type: "error", name: "ReentrancyGuardReentrantCall", inputs: [] },
  { type: "error", name: "TokenMismatch", inputs: [] },
  { type: "error", name: "TokenSelfTrade", inputs: [] },
  { type: "error", name: "SameOwner", inputs: [] },
  {
    type: "error",
    name: "UnsupportedCalculateOutputs",
    inputs: [{ name: "outputs", type: "uint256" }],
  },
  {
    type: "error",
    name: "NegativeVaultBalance",
    inputs: [{ name: "vaultBalance", type: "bytes32" }],
  },
  {
    type: "error",
    name: "NegativeVaultBalanceChange",
    inputs: [{ name: "amount", type: "bytes32" }],
  },
  { type: "error", name: "NegativePull", inputs: [] },
  { type: "error", name: "NegativePush", inputs: [] },
  { type: "error", name: "NegativeBounty", inputs: [] },
  { type: "error", name: "ClearZeroAmount", inputs: [] },
  {
    type: "error",
    name: "TokenDecimalsReadFailure",
    inputs: [
      { name: "token", type: "address" },
      { name: "tofuOutcome", type: "uint8" },
    ],
  },
  {
    type: "error",
    name: "FlashLenderCallbackFailed",
    inputs: [{ name: "result", type: "bytes32" }],
  },
] as const;

/** Type of {@link orderbookSharedErrorsAbi}. */
export type OrderbookSharedErrorsAbi = typeof orderbookSharedErrorsAbi;
