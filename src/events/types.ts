/**
 * The shapes of the events module: raw logs as they come from a node or a file, and the typed
 * events decoded from them.
 *
 * @module
 */
import type { Address, Hex } from "viem";
import type { ClearConfigV2, ClearStateChangeV2, OrderV4, TakeOrderConfigV4 } from "../abi/mod.ts";
import type { Float } from "../float/mod.ts";

/** A log as `eth_getLogs` returns it, with numbers as bigint/number and the chain id attached. */
export type RawLog = {
  /** Chain the log is from. */
  readonly chainId: number;
  /** Emitting contract (orderbook or store). */
  readonly address: Address;
  readonly blockNumber: bigint;
  readonly blockHash: Hex;
  /** Index of the log in its block (unique per block). */
  readonly logIndex: number;
  readonly transactionHash: Hex;
  readonly transactionIndex: number;
  /** Topic 0 is the event signature; Rain's events have no indexed arguments. */
  readonly topics: readonly Hex[];
  readonly data: Hex;
  /** Block timestamp in seconds, when the source has it (some nodes add `blockTimestamp`). */
  readonly timestamp?: bigint;
};

/**
 * What the decoders read: a {@link RawLog}, or a stored row whose unknown timestamp is `null`
 * (`readEventsOrdered`'s records decode as they are, without a copy per log).
 */
export type DecodableLog = Omit<RawLog, "timestamp"> & { readonly timestamp?: bigint | null };

/** A {@link RawLog} as JSON: block number and timestamp as decimal strings. */
export type RawLogJson = {
  readonly chainId: number;
  readonly address: Address;
  readonly blockNumber: string;
  readonly blockHash: Hex;
  readonly logIndex: number;
  readonly transactionHash: Hex;
  readonly transactionIndex: number;
  readonly topics: readonly Hex[];
  readonly data: Hex;
  readonly timestamp?: string;
};

/** Where an event was emitted; every decoded event carries these fields. */
export type EventPosition = {
  readonly chainId: number;
  /** Emitting contract. */
  readonly address: Address;
  readonly blockNumber: bigint;
  readonly blockHash: Hex;
  readonly logIndex: number;
  readonly txHash: Hex;
  readonly txIndex: number;
  /** Block timestamp, when the raw log had it. */
  readonly timestamp?: bigint;
};

/** `AddOrderV3(sender, orderHash, order)`. */
export type AddOrderV3Event = EventPosition & {
  readonly type: "AddOrderV3";
  readonly args: { readonly sender: Address; readonly orderHash: Hex; readonly order: OrderV4 };
};

/** `RemoveOrderV3(sender, orderHash, order)`. */
export type RemoveOrderV3Event = EventPosition & {
  readonly type: "RemoveOrderV3";
  readonly args: { readonly sender: Address; readonly orderHash: Hex; readonly order: OrderV4 };
};

/** `DepositV2(sender, token, vaultId, depositAmountUint256)`: the amount pulled, rounded up. */
export type DepositV2Event = EventPosition & {
  readonly type: "DepositV2";
  readonly args: {
    readonly sender: Address;
    readonly token: Address;
    readonly vaultId: Hex;
    readonly depositAmountUint256: bigint;
  };
};

/** `WithdrawV2(sender, token, vaultId, targetAmount, withdrawAmount, withdrawAmountUint256)`. */
export type WithdrawV2Event = EventPosition & {
  readonly type: "WithdrawV2";
  readonly args: {
    readonly sender: Address;
    readonly token: Address;
    readonly vaultId: Hex;
    readonly targetAmount: Float;
    /** The exact Float the vault dropped by. */
    readonly withdrawAmount: Float;
    readonly withdrawAmountUint256: bigint;
  };
};

/** `TakeOrderV3(sender, config, input, output)`: `input` is the taker's (= the order's output). */
export type TakeOrderV3Event = EventPosition & {
  readonly type: "TakeOrderV3";
  readonly args: {
    readonly sender: Address;
    readonly config: TakeOrderConfigV4;
    readonly input: Float;
    readonly output: Float;
  };
};

/** `ClearV3(sender, alice, bob, clearConfig)`. */
export type ClearV3Event = EventPosition & {
  readonly type: "ClearV3";
  readonly args: {
    readonly sender: Address;
    readonly alice: OrderV4;
    readonly bob: OrderV4;
    readonly clearConfig: ClearConfigV2;
  };
};

/** `AfterClearV2(sender, clearStateChange)`. */
export type AfterClearV2Event = EventPosition & {
  readonly type: "AfterClearV2";
  readonly args: { readonly sender: Address; readonly clearStateChange: ClearStateChangeV2 };
};

/** `ContextV2(sender, context)`: the handle-io context of one taken or cleared order. */
export type ContextV2Event = EventPosition & {
  readonly type: "ContextV2";
  readonly args: { readonly sender: Address; readonly context: readonly (readonly Hex[])[] };
};

/** `MetaV1_2(sender, subject, meta)`. */
export type MetaV1_2Event = EventPosition & {
  readonly type: "MetaV1_2";
  readonly args: { readonly sender: Address; readonly subject: Hex; readonly meta: Hex };
};

/** `OrderNotFound` / `OrderZeroAmount` / `OrderExceedsMaxRatio(sender, owner, orderHash)`. */
export type OrderSkipEvent = EventPosition & {
  readonly type: "OrderNotFound" | "OrderZeroAmount" | "OrderExceedsMaxRatio";
  readonly args: { readonly sender: Address; readonly owner: Address; readonly orderHash: Hex };
};

/** Any orderbook event (V5 and V6 emit the same ones). */
export type OrderbookEvent =
  | AddOrderV3Event
  | RemoveOrderV3Event
  | DepositV2Event
  | WithdrawV2Event
  | TakeOrderV3Event
  | ClearV3Event
  | AfterClearV2Event
  | ContextV2Event
  | MetaV1_2Event
  | OrderSkipEvent;

/** The store's `Set(namespace, key, value)`; `namespace` is the fully qualified one. */
export type StoreSetEvent = EventPosition & {
  readonly type: "Set";
  readonly args: { readonly namespace: bigint; readonly key: Hex; readonly value: Hex };
};

/** Any event this module decodes. */
export type RaindexEventLog = OrderbookEvent | StoreSetEvent;

/** The orderbook events that change no state: kept as annotations. */
export type AnnotationEvent = ContextV2Event | MetaV1_2Event | OrderSkipEvent;
