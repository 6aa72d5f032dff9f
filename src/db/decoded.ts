/**
 * Decoded orderbook and store events: one idempotent insert per event family, keyed by
 * `(chain_id, orderbook | store, block_number, log_index)`.
 *
 * @module
 */
import type { Address, Hex } from "viem";
import type {
  ClearConfigV2,
  ClearStateChangeV2,
  IOV2,
  OrderV4,
  TakeOrderConfigV4,
} from "../abi/mod.ts";
import { withTransaction } from "./core.ts";
import { insertIdempotent, lower, toJsonText } from "./insert.ts";
import type { Db, DbValue } from "./types.ts";

/** Where an orderbook event was emitted. */
export type EventRef = {
  readonly chainId: number;
  readonly orderbook: Address;
  readonly blockNumber: bigint;
  readonly logIndex: number;
  readonly txHash: Hex;
};

/** `AddOrderV3` / `RemoveOrderV3`. */
export type OrderEventInput = EventRef & {
  readonly kind: "add" | "remove";
  readonly sender: Address;
  readonly orderHash: Hex;
  readonly order: OrderV4;
};

/** `TakeOrderV3(sender, config, input, output)`; `orderHash` is the hash of `config.order`. */
export type TakeInput = EventRef & {
  /** The taker. */
  readonly sender: Address;
  readonly orderHash: Hex;
  readonly config: TakeOrderConfigV4;
  /** Float the taker received: the order's output vault drops by it. */
  readonly takerInput: Hex;
  /** Float the taker paid: the order's input vault grows by it. */
  readonly takerOutput: Hex;
};

/** `ClearV3` (its position is the row's) joined with the `AfterClearV2` that follows it. */
export type ClearInput = EventRef & {
  readonly afterClearLogIndex: number;
  /** The clearer. */
  readonly sender: Address;
  readonly alice: OrderV4;
  readonly aliceOrderHash: Hex;
  readonly bob: OrderV4;
  readonly bobOrderHash: Hex;
  readonly clearConfig: ClearConfigV2;
  readonly clearStateChange: ClearStateChangeV2;
};

/**
 * Where a stored deposit's Float came from: the transaction's calldata, called on the orderbook
 * directly (`calldata-direct`) or inside its `multicall` (`calldata-multicall`), both exact; or the
 * event's rounded-up `uint256` when the deposit came through another contract (`event`). `calldata`
 * only appears on rows stored by schema version 1, which did not record direct vs multicall.
 */
export type DepositAmountSource = "calldata-direct" | "calldata-multicall" | "event";

/**
 * `DepositV2`, with the exact Float the vault grew by and where it came from
 * ({@link DepositAmountSource}; `event` amounts are inexact unless proven otherwise).
 */
export type DepositInput = EventRef & {
  readonly sender: Address;
  readonly token: Address;
  readonly vaultId: Hex;
  /** Packed Float the vault grew by. */
  readonly amount: Hex;
  readonly amountSource: DepositAmountSource;
  readonly exact: boolean;
  /** The event's `depositAmountUint256` (token units, rounded up). */
  readonly amountUint256: bigint;
  /** Token decimals used to convert, when known. */
  readonly decimals: number | null;
  /** Outcome of checking an event-sourced amount against `vaultBalance2` at the block. */
  readonly balanceCheck?: "matched" | "mismatched" | "unavailable" | null;
};

/** `WithdrawV2`: the vault drops by the exact Float `withdrawAmount`. */
export type WithdrawalInput = EventRef & {
  readonly sender: Address;
  readonly token: Address;
  readonly vaultId: Hex;
  readonly targetAmount: Hex;
  readonly withdrawAmount: Hex;
  readonly withdrawAmountUint256: bigint;
};

/** A store's `Set(namespace, key, value)`; `fqn` is the fully qualified namespace. */
export type StoreSetInput = {
  readonly chainId: number;
  readonly store: Address;
  readonly blockNumber: bigint;
  readonly logIndex: number;
  readonly txHash: Hex;
  /** As `bytes32` hex, or the event's `uint256`. */
  readonly fqn: Hex | bigint;
  readonly key: Hex;
  readonly value: Hex;
};

/** `ContextV2(sender, context)`: the handle-io context of a taken or cleared order. */
export type ContextInput = EventRef & {
  readonly sender: Address;
  readonly context: readonly (readonly Hex[])[];
};

/** `MetaV1_2(sender, subject, meta)`. */
export type MetaEventInput = EventRef & {
  readonly sender: Address;
  readonly subject: Hex;
  readonly meta: Hex;
};

function ref(e: EventRef): DbValue[] {
  return [BigInt(e.chainId), lower(e.orderbook), e.blockNumber, e.logIndex, lower(e.txHash)];
}

const REF_COLUMNS = ["chain_id", "orderbook", "block_number", "log_index", "tx_hash"] as const;

/** Primary key of every orderbook event table. */
const ORDERBOOK_KEY = ["chain_id", "orderbook", "block_number", "log_index"] as const;

function ioAt(ios: readonly IOV2[], index: bigint): [Hex | null, Hex | null] {
  const io = index < BigInt(ios.length) ? ios[Number(index)] : undefined;
  return io ? [lower(io.token), lower(io.vaultId)] : [null, null];
}

function bytes32(value: Hex | bigint): Hex {
  return typeof value === "bigint"
    ? `0x${value.toString(16).padStart(64, "0")}`
    : value.toLowerCase() as Hex;
}

/**
 * Stores `AddOrderV3`/`RemoveOrderV3` events and, for each order, its inputs and outputs in
 * `order_ios` (once per order: the first event that brought it keeps them).
 *
 * @returns The number of new `order_events` rows.
 *
 * @example
 * ```ts
 * import { insertOrderEvents, migrate } from "./mod.ts";
 * import { openDuckDbMemory } from "./native.ts";
 * const db = await openDuckDbMemory();
 * await migrate(db);
 * const a = (n: number) => `0x${n.toString(16).padStart(40, "0")}` as const;
 * const b32 = (n: number) => `0x${n.toString(16).padStart(64, "0")}` as const;
 * await insertOrderEvents(db, [{
 *   chainId: 1, orderbook: a(0xaa), blockNumber: 5n, logIndex: 0, txHash: b32(1), kind: "add",
 *   sender: a(1), orderHash: b32(2),
 *   order: {
 *     owner: a(1), evaluable: { interpreter: a(2), store: a(3), bytecode: "0x00" },
 *     validInputs: [{ token: a(4), vaultId: b32(1) }], validOutputs: [{ token: a(5), vaultId: b32(1) }],
 *     nonce: b32(0),
 *   },
 * }]);
 * await db.close();
 * ```
 */
export function insertOrderEvents(db: Db, events: readonly OrderEventInput[]): Promise<number> {
  return withTransaction(db, async (tx) => {
    const inserted = await insertIdempotent(
      tx,
      "order_events",
      [
        ...REF_COLUMNS,
        "kind",
        "sender",
        "order_hash",
        "owner",
        "interpreter",
        "store",
        "bytecode",
        "nonce",
        "order_json",
      ],
      events.map((e) => [
        ...ref(e),
        e.kind,
        lower(e.sender),
        lower(e.orderHash),
        lower(e.order.owner),
        lower(e.order.evaluable.interpreter),
        lower(e.order.evaluable.store),
        lower(e.order.evaluable.bytecode),
        lower(e.order.nonce),
        toJsonText(e.order),
      ]),
      ORDERBOOK_KEY,
    );
    const ios: DbValue[][] = [];
    for (const e of events) {
      for (
        const [side, list] of [["input", e.order.validInputs], [
          "output",
          e.order.validOutputs,
        ]] as const
      ) {
        list.forEach((io, index) => {
          ios.push([
            BigInt(e.chainId),
            lower(e.orderbook),
            lower(e.orderHash),
            side,
            index,
            lower(io.token),
            lower(io.vaultId),
            e.blockNumber,
            e.logIndex,
          ]);
        });
      }
    }
    // Earliest event first, so an order's IO rows carry the position that first brought it.
    ios.sort((x, y) =>
      x[7] === y[7]
        ? (x[8] as number) - (y[8] as number)
        : (x[7] as bigint) < (y[7] as bigint)
        ? -1
        : 1
    );
    await insertIdempotent(tx, "order_ios", [
      "chain_id",
      "orderbook",
      "order_hash",
      "side",
      "io_index",
      "token",
      "vault_id",
      "block_number",
      "log_index",
    ], ios);
    return inserted;
  });
}

/**
 * Stores `TakeOrderV3` events, with the order's IO tokens and vaults resolved from the config.
 *
 * @example
 * ```ts
 * import { insertTakes, migrate } from "./mod.ts";
 * import { openDuckDbMemory } from "./native.ts";
 * const db = await openDuckDbMemory();
 * await migrate(db);
 * console.log(await insertTakes(db, [])); // 0
 * await db.close();
 * ```
 */
export function insertTakes(db: Db, takes: readonly TakeInput[]): Promise<number> {
  return insertIdempotent(
    db,
    "takes",
    [
      ...REF_COLUMNS,
      "sender",
      "order_hash",
      "order_owner",
      "input_io_index",
      "output_io_index",
      "input_token",
      "input_vault_id",
      "output_token",
      "output_vault_id",
      "taker_input",
      "taker_output",
      "config_json",
    ],
    takes.map((t) => {
      const order = t.config.order;
      return [
        ...ref(t),
        lower(t.sender),
        lower(t.orderHash),
        lower(order.owner),
        Number(t.config.inputIOIndex),
        Number(t.config.outputIOIndex),
        ...ioAt(order.validInputs, t.config.inputIOIndex),
        ...ioAt(order.validOutputs, t.config.outputIOIndex),
        lower(t.takerInput),
        lower(t.takerOutput),
        // The IO indexes are the config's only bigints: as strings up front, the whole config takes
        // the serializer's fast path (same text as `toJsonText` gives them).
        toJsonText({
          ...t.config,
          inputIOIndex: String(t.config.inputIOIndex),
          outputIOIndex: String(t.config.outputIOIndex),
        }),
      ];
    }),
    ORDERBOOK_KEY,
  );
}

/**
 * Stores `ClearV3` events joined with their `AfterClearV2` amounts.
 *
 * @example
 * ```ts
 * import { insertClears, migrate } from "./mod.ts";
 * import { openDuckDbMemory } from "./native.ts";
 * const db = await openDuckDbMemory();
 * await migrate(db);
 * console.log(await insertClears(db, [])); // 0
 * await db.close();
 * ```
 */
export function insertClears(db: Db, clears: readonly ClearInput[]): Promise<number> {
  return insertIdempotent(
    db,
    "clears",
    [
      ...REF_COLUMNS,
      "after_clear_log_index",
      "sender",
      "alice_order_hash",
      "alice_owner",
      "bob_order_hash",
      "bob_owner",
      "alice_input_io_index",
      "alice_output_io_index",
      "bob_input_io_index",
      "bob_output_io_index",
      "alice_bounty_vault_id",
      "bob_bounty_vault_id",
      "alice_input_token",
      "alice_input_vault_id",
      "alice_output_token",
      "alice_output_vault_id",
      "bob_input_token",
      "bob_input_vault_id",
      "bob_output_token",
      "bob_output_vault_id",
      "alice_input",
      "alice_output",
      "bob_input",
      "bob_output",
      "alice_order_json",
      "bob_order_json",
    ],
    clears.map((c) => {
      const config = c.clearConfig;
      const change = c.clearStateChange;
      return [
        ...ref(c),
        c.afterClearLogIndex,
        lower(c.sender),
        lower(c.aliceOrderHash),
        lower(c.alice.owner),
        lower(c.bobOrderHash),
        lower(c.bob.owner),
        Number(config.aliceInputIOIndex),
        Number(config.aliceOutputIOIndex),
        Number(config.bobInputIOIndex),
        Number(config.bobOutputIOIndex),
        lower(config.aliceBountyVaultId),
        lower(config.bobBountyVaultId),
        ...ioAt(c.alice.validInputs, config.aliceInputIOIndex),
        ...ioAt(c.alice.validOutputs, config.aliceOutputIOIndex),
        ...ioAt(c.bob.validInputs, config.bobInputIOIndex),
        ...ioAt(c.bob.validOutputs, config.bobOutputIOIndex),
        lower(change.aliceInput),
        lower(change.aliceOutput),
        lower(change.bobInput),
        lower(change.bobOutput),
        toJsonText(c.alice),
        toJsonText(c.bob),
      ];
    }),
    ORDERBOOK_KEY,
  );
}

/**
 * Stores `DepositV2` events with the exact Float (and where it came from).
 *
 * @example
 * ```ts
 * import { insertDeposits, migrate } from "./mod.ts";
 * import { openDuckDbMemory } from "./native.ts";
 * const db = await openDuckDbMemory();
 * await migrate(db);
 * console.log(await insertDeposits(db, [])); // 0
 * await db.close();
 * ```
 */
export function insertDeposits(db: Db, deposits: readonly DepositInput[]): Promise<number> {
  return insertIdempotent(
    db,
    "deposits",
    [
      ...REF_COLUMNS,
      "sender",
      "token",
      "vault_id",
      "amount",
      "amount_source",
      "exact",
      "amount_uint256",
      "decimals",
      "balance_check",
    ],
    deposits.map((d) => [
      ...ref(d),
      lower(d.sender),
      lower(d.token),
      lower(d.vaultId),
      lower(d.amount),
      d.amountSource,
      d.exact,
      d.amountUint256.toString(),
      d.decimals,
      d.balanceCheck ?? null,
    ]),
    ORDERBOOK_KEY,
  );
}

/**
 * Stores `WithdrawV2` events.
 *
 * @example
 * ```ts
 * import { insertWithdrawals, migrate } from "./mod.ts";
 * import { openDuckDbMemory } from "./native.ts";
 * const db = await openDuckDbMemory();
 * await migrate(db);
 * console.log(await insertWithdrawals(db, [])); // 0
 * await db.close();
 * ```
 */
export function insertWithdrawals(
  db: Db,
  withdrawals: readonly WithdrawalInput[],
): Promise<number> {
  return insertIdempotent(
    db,
    "withdrawals",
    [
      ...REF_COLUMNS,
      "sender",
      "token",
      "vault_id",
      "target_amount",
      "withdraw_amount",
      "withdraw_amount_uint256",
    ],
    withdrawals.map((w) => [
      ...ref(w),
      lower(w.sender),
      lower(w.token),
      lower(w.vaultId),
      lower(w.targetAmount),
      lower(w.withdrawAmount),
      w.withdrawAmountUint256.toString(),
    ]),
    ORDERBOOK_KEY,
  );
}

/**
 * Stores store `Set` events, keyed by `(chain_id, store, block_number, log_index)`.
 *
 * @example
 * ```ts
 * import { insertStoreSets, migrate } from "./mod.ts";
 * import { openDuckDbMemory } from "./native.ts";
 * const db = await openDuckDbMemory();
 * await migrate(db);
 * console.log(await insertStoreSets(db, [])); // 0
 * await db.close();
 * ```
 */
export function insertStoreSets(db: Db, sets: readonly StoreSetInput[]): Promise<number> {
  return insertIdempotent(
    db,
    "store_sets",
    [
      "chain_id",
      "store",
      "block_number",
      "log_index",
      "tx_hash",
      "fqn",
      "key",
      "value",
    ],
    sets.map((s) => [
      BigInt(s.chainId),
      lower(s.store),
      s.blockNumber,
      s.logIndex,
      lower(s.txHash),
      bytes32(s.fqn),
      lower(s.key),
      lower(s.value),
    ]),
    ["chain_id", "store", "block_number", "log_index"],
  );
}

/**
 * Stores `ContextV2` events; `order_hash` is taken from context column 1 row 0.
 *
 * @example
 * ```ts
 * import { insertContexts, migrate } from "./mod.ts";
 * import { openDuckDbMemory } from "./native.ts";
 * const db = await openDuckDbMemory();
 * await migrate(db);
 * console.log(await insertContexts(db, [])); // 0
 * await db.close();
 * ```
 */
export function insertContexts(db: Db, contexts: readonly ContextInput[]): Promise<number> {
  return insertIdempotent(
    db,
    "contexts",
    [
      ...REF_COLUMNS,
      "sender",
      "order_hash",
      "context_json",
    ],
    contexts.map((c) => [
      ...ref(c),
      lower(c.sender),
      lower(c.context[1]?.[0] ?? null),
      toJsonText(c.context.map((column) => column.map((word) => word.toLowerCase()))),
    ]),
    ORDERBOOK_KEY,
  );
}

/**
 * Stores `MetaV1_2` events.
 *
 * @example
 * ```ts
 * import { insertMetaEvents, migrate } from "./mod.ts";
 * import { openDuckDbMemory } from "./native.ts";
 * const db = await openDuckDbMemory();
 * await migrate(db);
 * console.log(await insertMetaEvents(db, [])); // 0
 * await db.close();
 * ```
 */
export function insertMetaEvents(db: Db, metas: readonly MetaEventInput[]): Promise<number> {
  return insertIdempotent(
    db,
    "meta_events",
    [
      ...REF_COLUMNS,
      "sender",
      "subject",
      "meta",
    ],
    metas.map((m) => [...ref(m), lower(m.sender), lower(m.subject), lower(m.meta)]),
    ORDERBOOK_KEY,
  );
}

/** A stored deposit (see {@link DepositInput}). */
export type DepositRecord = {
  readonly chainId: number;
  readonly orderbook: Address;
  readonly blockNumber: bigint;
  readonly logIndex: number;
  readonly txHash: Hex;
  readonly sender: Address;
  readonly token: Address;
  readonly vaultId: Hex;
  readonly amount: Hex;
  /** `calldata` on rows stored by schema version 1 (see {@link DepositAmountSource}). */
  readonly amountSource: DepositAmountSource | "calldata";
  readonly exact: boolean;
  readonly amountUint256: bigint;
  readonly decimals: number | null;
  readonly balanceCheck: "matched" | "mismatched" | "unavailable" | null;
};

type DepositRow = {
  chain_id: bigint;
  orderbook: Address;
  block_number: bigint;
  log_index: number;
  tx_hash: Hex;
  sender: Address;
  token: Address;
  vault_id: Hex;
  amount: Hex;
  amount_source: DepositAmountSource | "calldata";
  exact: boolean;
  amount_uint256: string;
  decimals: number | null;
  balance_check: "matched" | "mismatched" | "unavailable" | null;
};

/**
 * An orderbook's stored deposits in `(block_number, log_index)` order, optionally within blocks
 * `[fromBlock, toBlock]`. A rebuild from raw logs needs these: a `DepositV2` log carries only the
 * rounded uint256, the exact Float the vault grew by is here.
 *
 * @example
 * ```ts
 * import { migrate, readDeposits } from "./mod.ts";
 * import { openDuckDbMemory } from "./native.ts";
 * const db = await openDuckDbMemory();
 * await migrate(db);
 * console.log(await readDeposits(db, 1, "0x00000000000000000000000000000000000000aa")); // []
 * await db.close();
 * ```
 */
export async function readDeposits(
  db: Db,
  chainId: number,
  orderbook: Address,
  range: { fromBlock?: bigint; toBlock?: bigint } = {},
): Promise<DepositRecord[]> {
  const rows = await db.query<DepositRow>(
    `SELECT * FROM deposits WHERE chain_id = $1 AND orderbook = $2
       AND block_number >= $3::UBIGINT AND block_number <= $4::UBIGINT
     ORDER BY block_number, log_index`,
    [
      BigInt(chainId),
      orderbook.toLowerCase(),
      range.fromBlock ?? 0n,
      range.toBlock ?? 2n ** 64n - 1n,
    ],
  );
  return rows.map((r) => ({
    chainId: Number(r.chain_id),
    orderbook: r.orderbook,
    blockNumber: r.block_number,
    logIndex: r.log_index,
    txHash: r.tx_hash,
    sender: r.sender,
    token: r.token,
    vaultId: r.vault_id,
    amount: r.amount,
    amountSource: r.amount_source,
    exact: r.exact,
    amountUint256: BigInt(r.amount_uint256),
    decimals: r.decimals,
    balanceCheck: r.balance_check,
  }));
}
