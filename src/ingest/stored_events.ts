/**
 * The typed tables' records (`readTypedEventsOrdered`) as the typed events `eventsToMutations`
 * takes, for a rebuild that reads no raw log bytes.
 *
 * @module
 */
import type { Address, Hex } from "viem";
import type { OrderV4, TakeOrderConfigV4 } from "../abi/mod.ts";
import { type StoredBlock, type StoredEventRecord, TypedEventRowError } from "../db/mod.ts";
import {
  checksummed,
  ConflictingBlockDataError,
  type DepositAmount,
  depositAmountKey,
  type RaindexEventLog,
} from "../events/mod.ts";

/** What {@link storedRecordsToEvents} keeps from one piece to the next. */
export type StoredEventsState = {
  /** Orders met so far (added, removed, or named in full by a take or clear), by lowercase hash. */
  readonly orders: Map<string, OrderV4>;
  /** Exact deposit amounts met so far, by `depositAmountKey` (the deposit rows carry them). */
  readonly depositAmounts: Map<string, DepositAmount>;
};

/**
 * Creates the state {@link storedRecordsToEvents} carries across the pieces of one read.
 *
 * @example
 * ```ts
 * import { createStoredEventsState } from "./stored_events.ts";
 * console.log(createStoredEventsState().orders.size); // 0
 * ```
 *
 * @param depositAmounts The map to fill with exact deposit amounts (default a new one).
 */
export function createStoredEventsState(
  depositAmounts: Map<string, DepositAmount> = new Map(),
): StoredEventsState {
  return { orders: new Map(), depositAmounts };
}

/**
 * The typed events of a piece of stored records, in chain order: what decoding the same blocks'
 * raw logs gives, for every event that changes state (contexts, meta and skip events are not
 * built; the batches' event counts come from the piece's blocks). A clear row gives its
 * `ClearV3` and its `AfterClearV2`. Orders named by hash are taken from `state`; exact deposit
 * amounts are added to `state.depositAmounts`. The typed tables keep no transaction index, so
 * events built here carry `txIndex: -1`, and a take's config carries no signed context (nothing
 * downstream of `eventsToMutations` reads either).
 *
 * @param orderbook The orderbook's address as the raw logs spell it (lowercase).
 * @throws {TypedEventRowError} A take or clear naming an order the read has not met.
 * @throws {ConflictingBlockDataError} A block whose stored logs disagree on its hash.
 *
 * @example
 * ```ts
 * import { createStoredEventsState, storedRecordsToEvents } from "./stored_events.ts";
 * const events = storedRecordsToEvents(
 *   { records: [], blocks: [] },
 *   { chainId: 1, orderbook: "0x00000000000000000000000000000000000000aa" },
 *   createStoredEventsState(),
 * );
 * console.log(events.length); // 0
 * ```
 */
export function storedRecordsToEvents(
  piece: {
    readonly records: readonly StoredEventRecord[];
    readonly blocks: readonly StoredBlock[];
  },
  where: { readonly chainId: number; readonly orderbook: Address },
  state: StoredEventsState,
): RaindexEventLog[] {
  const { chainId } = where;
  const orderbook = where.orderbook.toLowerCase() as Address;
  const headers = new Map<bigint, StoredBlock>();
  for (const block of piece.blocks) {
    if (block.otherBlockHash !== null) {
      throw new ConflictingBlockDataError({
        blockNumber: String(block.blockNumber),
        field: "blockHash",
        values: [block.blockHash, block.otherBlockHash],
      });
    }
    headers.set(block.blockNumber, block);
  }
  const out: RaindexEventLog[] = [];
  let header: StoredBlock | undefined;
  const event = (
    type: string,
    address: Address,
    position: { blockNumber: bigint; logIndex: number; txHash: Hex },
    args: unknown,
  ): void => {
    if (header === undefined || header.blockNumber !== position.blockNumber) {
      header = headers.get(position.blockNumber);
    }
    // The reader only yields records of the piece's blocks.
    const built: Record<string, unknown> = {
      type,
      chainId,
      address,
      blockNumber: position.blockNumber,
      blockHash: header!.blockHash,
      logIndex: position.logIndex,
      txHash: position.txHash,
      txIndex: -1,
    };
    if (header!.timestamp !== null) built.timestamp = header!.timestamp;
    built.args = args;
    out.push(built as RaindexEventLog);
  };
  // An order named by hash is the one met earlier in the read; otherwise the row carries it.
  const orderOf = (
    hash: Hex,
    carried: (() => OrderV4) | null,
    record: StoredEventRecord,
    table: string,
  ): OrderV4 => {
    const key = hash.toLowerCase();
    let order = state.orders.get(key);
    if (order !== undefined) return order;
    if (carried === null) {
      throw new TypedEventRowError(
        `the ${record.kind} at block ${record.blockNumber} log ${record.logIndex} names order ` +
          `${hash}, which the read has not met`,
        { table, blockNumber: String(record.blockNumber), reason: `order ${hash} unknown` },
      );
    }
    order = carried();
    state.orders.set(key, order);
    return order;
  };
  const parsedOrder = (json: string | null) =>
    json === null ? null : () => JSON.parse(json) as OrderV4;

  for (const r of piece.records) {
    switch (r.kind) {
      case "add":
      case "remove": {
        const order = orderOf(r.orderHash, parsedOrder(r.orderJson), r, "order_events");
        event(r.kind === "add" ? "AddOrderV3" : "RemoveOrderV3", orderbook, r, {
          sender: checksummed(r.sender),
          orderHash: r.orderHash,
          order,
        });
        break;
      }
      case "take": {
        const carried = r.configJson === null
          ? null
          : () => (JSON.parse(r.configJson!) as TakeOrderConfigV4).order;
        const config: TakeOrderConfigV4 = {
          order: orderOf(r.orderHash, carried, r, "takes"),
          inputIOIndex: BigInt(r.inputIOIndex),
          outputIOIndex: BigInt(r.outputIOIndex),
          signedContext: [],
        };
        event("TakeOrderV3", orderbook, r, {
          sender: checksummed(r.sender),
          config,
          input: r.takerInput,
          output: r.takerOutput,
        });
        break;
      }
      case "clear": {
        event("ClearV3", orderbook, r, {
          sender: checksummed(r.sender),
          alice: orderOf(r.aliceOrderHash, parsedOrder(r.aliceOrderJson), r, "clears"),
          bob: orderOf(r.bobOrderHash, parsedOrder(r.bobOrderJson), r, "clears"),
          clearConfig: {
            aliceInputIOIndex: BigInt(r.aliceInputIOIndex),
            aliceOutputIOIndex: BigInt(r.aliceOutputIOIndex),
            bobInputIOIndex: BigInt(r.bobInputIOIndex),
            bobOutputIOIndex: BigInt(r.bobOutputIOIndex),
            aliceBountyVaultId: r.aliceBountyVaultId,
            bobBountyVaultId: r.bobBountyVaultId,
          },
        });
        event(
          "AfterClearV2",
          orderbook,
          { blockNumber: r.blockNumber, logIndex: r.afterClearLogIndex, txHash: r.txHash },
          {
            sender: checksummed(r.sender),
            clearStateChange: {
              aliceOutput: r.aliceOutput,
              bobOutput: r.bobOutput,
              aliceInput: r.aliceInput,
              bobInput: r.bobInput,
            },
          },
        );
        break;
      }
      case "deposit": {
        if (r.exactAmount !== null) {
          state.depositAmounts.set(depositAmountKey(r), {
            amount: r.exactAmount,
            source: "calldata",
          });
        }
        event("DepositV2", orderbook, r, {
          sender: checksummed(r.sender),
          token: checksummed(r.token),
          vaultId: r.vaultId,
          depositAmountUint256: r.amountUint256,
        });
        break;
      }
      case "withdraw":
        event("WithdrawV2", orderbook, r, {
          sender: checksummed(r.sender),
          token: checksummed(r.token),
          vaultId: r.vaultId,
          targetAmount: r.targetAmount,
          withdrawAmount: r.withdrawAmount,
          withdrawAmountUint256: r.withdrawAmountUint256,
        });
        break;
      case "set":
        event("Set", r.store, r, { namespace: BigInt(r.fqn), key: r.key, value: r.value });
        break;
    }
  }
  // A clear's AfterClearV2 is built beside its ClearV3: eventsToMutations puts it in place.
  return out;
}
