/**
 * One sync step's writes — logs, blocks, decoded events, code, and the cursor — in one transaction.
 *
 * @module
 */
import { type BytecodeArtifactInput, insertBytecodeArtifacts } from "./bytecode.ts";
import { withTransaction } from "./core.ts";
import { advanceCursor, type CursorInput, type SyncCursor } from "./cursor.ts";
import {
  type ClearInput,
  type ContextInput,
  type DepositInput,
  insertClears,
  insertContexts,
  insertDeposits,
  insertMetaEvents,
  insertOrderEvents,
  insertStoreSets,
  insertTakes,
  insertWithdrawals,
  type MetaEventInput,
  type OrderEventInput,
  type StoreSetInput,
  type TakeInput,
  type WithdrawalInput,
} from "./decoded.ts";
import { type BlockInput, insertBlocks, insertRawEvents, type RawEventInput } from "./events.ts";
import type { Db } from "./types.ts";

/** Everything one sync step stores; every part is optional. */
export type SyncBatch = {
  readonly rawEvents?: readonly RawEventInput[];
  readonly blocks?: readonly BlockInput[];
  readonly orderEvents?: readonly OrderEventInput[];
  readonly takes?: readonly TakeInput[];
  readonly clears?: readonly ClearInput[];
  readonly deposits?: readonly DepositInput[];
  readonly withdrawals?: readonly WithdrawalInput[];
  readonly storeSets?: readonly StoreSetInput[];
  readonly contexts?: readonly ContextInput[];
  readonly metaEvents?: readonly MetaEventInput[];
  readonly bytecode?: readonly BytecodeArtifactInput[];
  /** Where the data above brings the orderbook; written last, in the same transaction. */
  readonly cursor?: CursorInput;
};

/** New rows per table, and the cursor written. */
export type SyncBatchResult = {
  readonly inserted: Readonly<Record<string, number>>;
  readonly cursor: SyncCursor | null;
};

/**
 * Stores a sync step atomically: every row and the cursor commit together, or nothing does. Re-running
 * the same batch inserts nothing new (idempotent inserts) and leaves the cursor where it is.
 *
 * @example
 * ```ts
 * import { migrate, readCursor, writeSyncBatch } from "./mod.ts";
 * import { openDuckDbMemory } from "./native.ts";
 * const db = await openDuckDbMemory();
 * await migrate(db);
 * const orderbook = "0x00000000000000000000000000000000000000aa";
 * await writeSyncBatch(db, { rawEvents: [], cursor: { chainId: 1, orderbook, blockNumber: 50n } });
 * console.log((await readCursor(db, 1, orderbook))?.blockNumber); // 50n
 * await db.close();
 * ```
 */
export function writeSyncBatch(db: Db, batch: SyncBatch): Promise<SyncBatchResult> {
  return withTransaction(db, async (tx) => {
    const inserted: Record<string, number> = {};
    const parts: [string, () => Promise<number>][] = [];
    if (batch.rawEvents) parts.push(["raw_events", () => insertRawEvents(tx, batch.rawEvents!)]);
    if (batch.blocks) parts.push(["blocks", () => insertBlocks(tx, batch.blocks!)]);
    if (batch.orderEvents) {
      parts.push(["order_events", () => insertOrderEvents(tx, batch.orderEvents!)]);
    }
    if (batch.takes) parts.push(["takes", () => insertTakes(tx, batch.takes!)]);
    if (batch.clears) parts.push(["clears", () => insertClears(tx, batch.clears!)]);
    if (batch.deposits) parts.push(["deposits", () => insertDeposits(tx, batch.deposits!)]);
    if (batch.withdrawals) {
      parts.push(["withdrawals", () => insertWithdrawals(tx, batch.withdrawals!)]);
    }
    if (batch.storeSets) parts.push(["store_sets", () => insertStoreSets(tx, batch.storeSets!)]);
    if (batch.contexts) parts.push(["contexts", () => insertContexts(tx, batch.contexts!)]);
    if (batch.metaEvents) {
      parts.push(["meta_events", () => insertMetaEvents(tx, batch.metaEvents!)]);
    }
    if (batch.bytecode) {
      parts.push(["bytecode_artifacts", () => insertBytecodeArtifacts(tx, batch.bytecode!)]);
    }
    for (const [table, run] of parts) {
      inserted[table] = await run();
    }
    const cursor = batch.cursor ? await advanceCursor(tx, batch.cursor) : null;
    return { inserted, cursor };
  });
}
