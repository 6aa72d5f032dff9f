/**
 * Shared types of the engine: the engine handle, orderbook versions, events and the change records
 * operations return.
 *
 * @module
 */
import type { Address, Hex } from "viem";
import type {
  ClearConfigV2,
  ClearStateChangeV2,
  OrderbookVersion,
  OrderV4,
  SignedContextV1,
  TakeOrderConfigV4,
} from "../abi/mod.ts";
import type { Float, FloatOps } from "../float/mod.ts";
import type { ExternalState, InterpreterHost } from "../evm/mod.ts";
import type { RaindexState } from "./state.ts";

/** Orderbook rule sets: `v5` (`IOrderBookV5`) and `v6` (`IRaindexV6`, Rain's OrderBookV6). */
export type { OrderbookVersion };

/**
 * A virtual orderbook: its address, rule version, interpreter host and state. Operations take it as
 * their first argument; the state inside changes only through committed operations
 * (`applyMutations`, `…AndApplyState`), each all-or-nothing.
 */
export type VirtualRaindex = {
  /** Orderbook address (what evaluations see as the orderbook and the namespace qualifier). */
  readonly orderbook: Address;
  /** Rule version. */
  readonly version: OrderbookVersion;
  /**
   * Float arithmetic of the orderbook build (rain.math.float version): vault and take maths must
   * produce the bits the deployed contract produces, e.g. exact zeros as `bytes32(0)` after 6358302.
   */
  readonly float: FloatOps;
  /** Runs Rain bytecode. */
  readonly host: InterpreterHost;
  /** Answers ERC-1271 `isValidSignature` calls for contract signers; none by default. */
  readonly externalState: ExternalState | undefined;
  /** Committed state; internal — read it with the accessors (`getVaultBalance`, …). */
  readonly state: RaindexState;
  /** Per-owner fully qualified namespace cache (`owner` → fqn word). */
  readonly namespaces: Map<string, Hex>;
};

/** A typed view of the order-related logs the orderbook (and its store) would emit. */
export type RaindexEvent =
  | {
    readonly type: "OrderNotFound";
    readonly sender: Address;
    readonly owner: Address;
    readonly orderHash: Hex;
  }
  | {
    readonly type: "OrderExceedsMaxRatio";
    readonly sender: Address;
    readonly owner: Address;
    readonly orderHash: Hex;
  }
  | {
    readonly type: "OrderZeroAmount";
    readonly sender: Address;
    readonly owner: Address;
    readonly orderHash: Hex;
  }
  | {
    readonly type: "ContextV2";
    readonly sender: Address;
    readonly context: readonly (readonly Hex[])[];
  }
  | {
    readonly type: "TakeOrderV3";
    readonly sender: Address;
    readonly config: TakeOrderConfigV4;
    readonly input: Float;
    readonly output: Float;
  }
  | {
    readonly type: "ClearV3";
    readonly sender: Address;
    readonly alice: OrderV4;
    readonly bob: OrderV4;
    readonly clearConfig: ClearConfigV2;
  }
  | {
    readonly type: "AfterClearV2";
    readonly sender: Address;
    readonly clearStateChange: ClearStateChangeV2;
  }
  | {
    readonly type: "DepositV2";
    readonly sender: Address;
    readonly token: Address;
    readonly vaultId: Hex;
    readonly depositAmountUint256: bigint;
  }
  | {
    readonly type: "WithdrawV2";
    readonly sender: Address;
    readonly token: Address;
    readonly vaultId: Hex;
    readonly targetAmount: Float;
    readonly withdrawAmount: Float;
    readonly withdrawAmountUint256: bigint;
  }
  | {
    readonly type: "AddOrderV3";
    readonly sender: Address;
    readonly orderHash: Hex;
    readonly order: OrderV4;
  }
  | {
    readonly type: "RemoveOrderV3";
    readonly sender: Address;
    readonly orderHash: Hex;
    readonly order: OrderV4;
  }
  | {
    readonly type: "MetaV1_2";
    readonly sender: Address;
    readonly subject: Hex;
    readonly meta: Hex;
  }
  /** Store log (emitted by the store contract, `namespace` is the fqn). */
  | {
    readonly type: "Set";
    readonly store: Address;
    readonly namespace: bigint;
    readonly key: Hex;
    readonly value: Hex;
  };

/** One vault balance change an operation made, in order. */
export type VaultChange = {
  readonly owner: Address;
  readonly token: Address;
  readonly vaultId: Hex;
  /** `increase` adds `amount`, `decrease` subtracts it (as the orderbook's vault functions do). */
  readonly op: "increase" | "decrease";
  readonly amount: Float;
  readonly before: Float;
  readonly after: Float;
};

/** One store write an operation made (`store.set` of a key/value pair), in order. */
export type StoreWrite = {
  readonly store: Address;
  /** Fully qualified namespace as a 32-byte word. */
  readonly namespace: Hex;
  readonly key: Hex;
  readonly value: Hex;
};

/** An ERC-20 movement between the orderbook and a caller (amount in token units). */
export type TokenTransfer = {
  readonly direction: "push" | "pull";
  readonly token: Address;
  /** The caller the tokens go to (push) or come from (pull). */
  readonly account: Address;
  readonly amount: bigint;
  readonly decimals: number;
};

/** Signed contexts as the orderbook receives them. */
export type SignedContexts = readonly SignedContextV1[];

/** Dependencies an engine needs beyond its state (for `fromSnapshot`). */
export type EngineDependencies = {
  /** Runs Rain bytecode. */
  readonly host: InterpreterHost;
  /** External state for ERC-1271 signature checks. */
  readonly externalState?: ExternalState;
};
