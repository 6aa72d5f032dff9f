/**
 * The structs shared by Rain's orderbook, interpreter and store interfaces: their ABI components
 * (`as const`, for viem) and their plain TypeScript shapes.
 *
 * Field orders follow `IOrderBookV5.sol` / `IRaindexV6.sol` (rain.orderbook.interface,
 * rain.raindex.interface) and `IInterpreterV4.sol` / `IInterpreterCallerV4.sol`
 * (rain.interpreter.interface). User-defined value types appear as their underlying types:
 * `Float` and `StackItem` are `bytes32`; `FullyQualifiedNamespace`, `StateNamespace` and
 * `SourceIndexV2` are `uint256`; interface-typed fields (`IInterpreterV4`, `IInterpreterStoreV3`) are
 * `address`.
 *
 * @module
 */
import type { Address, Hex } from "viem";

/**
 * ABI components of `IOV2 { address token; bytes32 vaultId }`.
 *
 * @example
 * ```ts
 * import { ioV2Components } from "./structs.ts";
 * console.log(ioV2Components.map((c) => c.name)); // ["token", "vaultId"]
 * ```
 */
export const ioV2Components = [
  { name: "token", type: "address" },
  { name: "vaultId", type: "bytes32" },
] as const;

/**
 * ABI components of `EvaluableV4 { address interpreter; address store; bytes bytecode }`.
 *
 * @example
 * ```ts
 * import { evaluableV4Components } from "./structs.ts";
 * console.log(evaluableV4Components.length); // 3
 * ```
 */
export const evaluableV4Components = [
  { name: "interpreter", type: "address" },
  { name: "store", type: "address" },
  { name: "bytecode", type: "bytes" },
] as const;

/**
 * ABI components of `SignedContextV1 { address signer; bytes32[] context; bytes signature }`.
 *
 * @example
 * ```ts
 * import { signedContextV1Components } from "./structs.ts";
 * console.log(signedContextV1Components[1].type); // "bytes32[]"
 * ```
 */
export const signedContextV1Components = [
  { name: "signer", type: "address" },
  { name: "context", type: "bytes32[]" },
  { name: "signature", type: "bytes" },
] as const;

/**
 * ABI components of `OrderV4 { address owner; EvaluableV4 evaluable; IOV2[] validInputs;
 * IOV2[] validOutputs; bytes32 nonce }`.
 *
 * @example
 * ```ts
 * import { orderV4Components } from "./structs.ts";
 * console.log(orderV4Components.map((c) => c.name).join(","));
 * // owner,evaluable,validInputs,validOutputs,nonce
 * ```
 */
export const orderV4Components = [
  { name: "owner", type: "address" },
  { name: "evaluable", type: "tuple", components: evaluableV4Components },
  { name: "validInputs", type: "tuple[]", components: ioV2Components },
  { name: "validOutputs", type: "tuple[]", components: ioV2Components },
  { name: "nonce", type: "bytes32" },
] as const;

/**
 * ABI components of `OrderConfigV4 { EvaluableV4 evaluable; IOV2[] validInputs; IOV2[] validOutputs;
 * bytes32 nonce; bytes32 secret; bytes meta }` (the `addOrder3` / `addOrder4` argument).
 *
 * @example
 * ```ts
 * import { orderConfigV4Components } from "./structs.ts";
 * console.log(orderConfigV4Components.at(-1)?.name); // "meta"
 * ```
 */
export const orderConfigV4Components = [
  { name: "evaluable", type: "tuple", components: evaluableV4Components },
  { name: "validInputs", type: "tuple[]", components: ioV2Components },
  { name: "validOutputs", type: "tuple[]", components: ioV2Components },
  { name: "nonce", type: "bytes32" },
  { name: "secret", type: "bytes32" },
  { name: "meta", type: "bytes" },
] as const;

/**
 * ABI components of `TaskV2 { EvaluableV4 evaluable; SignedContextV1[] signedContext }`.
 *
 * @example
 * ```ts
 * import { taskV2Components } from "./structs.ts";
 * console.log(taskV2Components[1].type); // "tuple[]"
 * ```
 */
export const taskV2Components = [
  { name: "evaluable", type: "tuple", components: evaluableV4Components },
  { name: "signedContext", type: "tuple[]", components: signedContextV1Components },
] as const;

/**
 * ABI components of `QuoteV2 { OrderV4 order; uint256 inputIOIndex; uint256 outputIOIndex;
 * SignedContextV1[] signedContext }`.
 *
 * @example
 * ```ts
 * import { quoteV2Components } from "./structs.ts";
 * console.log(quoteV2Components[1].name); // "inputIOIndex"
 * ```
 */
export const quoteV2Components = [
  { name: "order", type: "tuple", components: orderV4Components },
  { name: "inputIOIndex", type: "uint256" },
  { name: "outputIOIndex", type: "uint256" },
  { name: "signedContext", type: "tuple[]", components: signedContextV1Components },
] as const;

/**
 * ABI components of `TakeOrderConfigV4` (same fields as `QuoteV2`).
 *
 * @example
 * ```ts
 * import { takeOrderConfigV4Components } from "./structs.ts";
 * console.log(takeOrderConfigV4Components.length); // 4
 * ```
 */
export const takeOrderConfigV4Components = [
  { name: "order", type: "tuple", components: orderV4Components },
  { name: "inputIOIndex", type: "uint256" },
  { name: "outputIOIndex", type: "uint256" },
  { name: "signedContext", type: "tuple[]", components: signedContextV1Components },
] as const;

/**
 * ABI components of V5's `TakeOrdersConfigV4 { Float minimumInput; Float maximumInput;
 * Float maximumIORatio; TakeOrderConfigV4[] orders; bytes data }`.
 *
 * @example
 * ```ts
 * import { takeOrdersConfigV4Components } from "./structs.ts";
 * console.log(takeOrdersConfigV4Components[0].name); // "minimumInput"
 * ```
 */
export const takeOrdersConfigV4Components = [
  { name: "minimumInput", type: "bytes32" },
  { name: "maximumInput", type: "bytes32" },
  { name: "maximumIORatio", type: "bytes32" },
  { name: "orders", type: "tuple[]", components: takeOrderConfigV4Components },
  { name: "data", type: "bytes" },
] as const;

/**
 * ABI components of V6's `TakeOrdersConfigV5 { Float minimumIO; Float maximumIO;
 * Float maximumIORatio; bool IOIsInput; TakeOrderConfigV4[] orders; bytes data }`.
 *
 * @example
 * ```ts
 * import { takeOrdersConfigV5Components } from "./structs.ts";
 * console.log(takeOrdersConfigV5Components[3].name); // "IOIsInput"
 * ```
 */
export const takeOrdersConfigV5Components = [
  { name: "minimumIO", type: "bytes32" },
  { name: "maximumIO", type: "bytes32" },
  { name: "maximumIORatio", type: "bytes32" },
  { name: "IOIsInput", type: "bool" },
  { name: "orders", type: "tuple[]", components: takeOrderConfigV4Components },
  { name: "data", type: "bytes" },
] as const;

/**
 * ABI components of `ClearConfigV2 { uint256 aliceInputIOIndex; uint256 aliceOutputIOIndex;
 * uint256 bobInputIOIndex; uint256 bobOutputIOIndex; bytes32 aliceBountyVaultId;
 * bytes32 bobBountyVaultId }`.
 *
 * @example
 * ```ts
 * import { clearConfigV2Components } from "./structs.ts";
 * console.log(clearConfigV2Components[4].name); // "aliceBountyVaultId"
 * ```
 */
export const clearConfigV2Components = [
  { name: "aliceInputIOIndex", type: "uint256" },
  { name: "aliceOutputIOIndex", type: "uint256" },
  { name: "bobInputIOIndex", type: "uint256" },
  { name: "bobOutputIOIndex", type: "uint256" },
  { name: "aliceBountyVaultId", type: "bytes32" },
  { name: "bobBountyVaultId", type: "bytes32" },
] as const;

/**
 * ABI components of `ClearStateChangeV2 { Float aliceOutput; Float bobOutput; Float aliceInput;
 * Float bobInput }`.
 *
 * @example
 * ```ts
 * import { clearStateChangeV2Components } from "./structs.ts";
 * console.log(clearStateChangeV2Components.map((c) => c.name)[0]); // "aliceOutput"
 * ```
 */
export const clearStateChangeV2Components = [
  { name: "aliceOutput", type: "bytes32" },
  { name: "bobOutput", type: "bytes32" },
  { name: "aliceInput", type: "bytes32" },
  { name: "bobInput", type: "bytes32" },
] as const;

/**
 * ABI components of `EvalV4 { IInterpreterStoreV3 store; FullyQualifiedNamespace namespace;
 * bytes bytecode; SourceIndexV2 sourceIndex; bytes32[][] context; StackItem[] inputs;
 * bytes32[] stateOverlay }`.
 *
 * @example
 * ```ts
 * import { evalV4Components } from "./structs.ts";
 * console.log(evalV4Components.map((c) => c.type).join(","));
 * // address,uint256,bytes,uint256,bytes32[][],bytes32[],bytes32[]
 * ```
 */
export const evalV4Components = [
  { name: "store", type: "address" },
  { name: "namespace", type: "uint256" },
  { name: "bytecode", type: "bytes" },
  { name: "sourceIndex", type: "uint256" },
  { name: "context", type: "bytes32[][]" },
  { name: "inputs", type: "bytes32[]" },
  { name: "stateOverlay", type: "bytes32[]" },
] as const;

/**
 * The whole `OrderV4` as one ABI parameter, for `encodeAbiParameters` (the order hash encodes it
 * exactly so).
 *
 * @example
 * ```ts
 * import { orderV4Parameter } from "./structs.ts";
 * console.log(orderV4Parameter.type); // "tuple"
 * ```
 */
export const orderV4Parameter = {
  name: "order",
  type: "tuple",
  components: orderV4Components,
} as const;

/** `IOV2`: one input or output of an order (token and vault id as `bytes32`). */
export type IOV2 = {
  /** ERC-20 token address. */
  token: Address;
  /** Vault id (`bytes32`; in V6, zero means vaultless). */
  vaultId: Hex;
};

/** `EvaluableV4`: where and what an order (or task) evaluates. */
export type EvaluableV4 = {
  /** `IInterpreterV4` address. */
  interpreter: Address;
  /** `IInterpreterStoreV3` address. */
  store: Address;
  /** Rain bytecode (may be empty, e.g. a task with nothing to run). */
  bytecode: Hex;
};

/** `OrderV4`: an order as stored and hashed by the orderbook. */
export type OrderV4 = {
  /** Order owner. */
  owner: Address;
  /** The order's expression. */
  evaluable: EvaluableV4;
  /** Tokens/vaults the order can receive. */
  validInputs: readonly IOV2[];
  /** Tokens/vaults the order can send. */
  validOutputs: readonly IOV2[];
  /** `bytes32` nonce. */
  nonce: Hex;
};

/** `OrderConfigV4`: the `addOrder3`/`addOrder4` argument. */
export type OrderConfigV4 = {
  /** The order's expression. */
  evaluable: EvaluableV4;
  /** Tokens/vaults the order can receive. */
  validInputs: readonly IOV2[];
  /** Tokens/vaults the order can send. */
  validOutputs: readonly IOV2[];
  /** `bytes32` nonce. */
  nonce: Hex;
  /** `bytes32` secret; not part of the stored order nor its hash. */
  secret: Hex;
  /** Rain metadata bytes (emitted in `MetaV1_2` when non-empty). */
  meta: Hex;
};

/** `SignedContextV1`: context values signed off chain. */
export type SignedContextV1 = {
  /** Signer address (EOA or ERC-1271 contract). */
  signer: Address;
  /** Signed `bytes32` words. */
  context: readonly Hex[];
  /** Signature bytes. */
  signature: Hex;
};

/** `TaskV2`: a post task run after add/remove/deposit/withdraw/entask. */
export type TaskV2 = {
  /** The task's expression. */
  evaluable: EvaluableV4;
  /** Signed context for the task. */
  signedContext: readonly SignedContextV1[];
};

/** `QuoteV2`: the `quote2` argument. */
export type QuoteV2 = {
  /** The order to quote. */
  order: OrderV4;
  /** Index into `order.validInputs`. */
  inputIOIndex: bigint;
  /** Index into `order.validOutputs`. */
  outputIOIndex: bigint;
  /** Signed context passed to the order. */
  signedContext: readonly SignedContextV1[];
};

/** `TakeOrderConfigV4`: one order in a take. */
export type TakeOrderConfigV4 = {
  /** The order to take. */
  order: OrderV4;
  /** Index into `order.validInputs`. */
  inputIOIndex: bigint;
  /** Index into `order.validOutputs`. */
  outputIOIndex: bigint;
  /** Signed context passed to the order. */
  signedContext: readonly SignedContextV1[];
};

/** `TakeOrdersConfigV4`: the V5 `takeOrders3` argument (limits on taker input). */
export type TakeOrdersConfigV4 = {
  /** Packed Float (`bytes32`). */
  minimumInput: Hex;
  /** Packed Float (`bytes32`). */
  maximumInput: Hex;
  /** Packed Float (`bytes32`). */
  maximumIORatio: Hex;
  /** Orders to take, in order. */
  orders: readonly TakeOrderConfigV4[];
  /** Callback data; non-empty triggers `onTakeOrders2`. */
  data: Hex;
};

/** `TakeOrdersConfigV5`: the V6 `takeOrders4` argument (limits on input or output). */
export type TakeOrdersConfigV5 = {
  /** Packed Float (`bytes32`). */
  minimumIO: Hex;
  /** Packed Float (`bytes32`). */
  maximumIO: Hex;
  /** Packed Float (`bytes32`). */
  maximumIORatio: Hex;
  /** True: limits apply to taker input; false: to taker output. */
  IOIsInput: boolean;
  /** Orders to take, in order. */
  orders: readonly TakeOrderConfigV4[];
  /** Callback data; non-empty triggers the taker callback. */
  data: Hex;
};

/** `ClearConfigV2`: IO indices and bounty vaults of a `clear3`. */
export type ClearConfigV2 = {
  /** Index into alice's `validInputs`. */
  aliceInputIOIndex: bigint;
  /** Index into alice's `validOutputs`. */
  aliceOutputIOIndex: bigint;
  /** Index into bob's `validInputs`. */
  bobInputIOIndex: bigint;
  /** Index into bob's `validOutputs`. */
  bobOutputIOIndex: bigint;
  /** Clearer's vault for alice's bounty (`bytes32`). */
  aliceBountyVaultId: Hex;
  /** Clearer's vault for bob's bounty (`bytes32`). */
  bobBountyVaultId: Hex;
};

/** `ClearStateChangeV2`: amounts moved by a clear (all packed Floats). */
export type ClearStateChangeV2 = {
  /** Packed Float (`bytes32`). */
  aliceOutput: Hex;
  /** Packed Float (`bytes32`). */
  bobOutput: Hex;
  /** Packed Float (`bytes32`). */
  aliceInput: Hex;
  /** Packed Float (`bytes32`). */
  bobInput: Hex;
};

/** `EvalV4`: the `eval4` argument. */
export type EvalV4 = {
  /** `IInterpreterStoreV3` the interpreter reads from. */
  store: Address;
  /** Fully qualified namespace (`uint256`). */
  namespace: bigint;
  /** Rain bytecode. */
  bytecode: Hex;
  /** Source index (`uint256`). */
  sourceIndex: bigint;
  /** Context matrix, column-major: `context[column][row]`. */
  context: readonly (readonly Hex[])[];
  /** Stack inputs (`StackItem` = `bytes32`). */
  inputs: readonly Hex[];
  /** Flat key/value pairs preloaded into the interpreter's state. */
  stateOverlay: readonly Hex[];
};
