/**
 * Sync cursors: how far each orderbook's history is stored. A cursor only moves forward, and only in
 * the transaction that stores the data it covers.
 *
 * @module
 */
import type { Address, Hex } from "viem";
import { requireTransaction } from "./core.ts";
import { DbCursorError } from "./errors.ts";
import type { Db } from "./types.ts";

/**
 * A position in a chain's log stream: every log at or before `(blockNumber, logIndex)` is stored.
 * `logIndex: null` means the whole block `blockNumber` is stored (the usual case after a range
 * sync), and sorts after every log index of that block.
 */
export type CursorInput = {
  readonly chainId: number;
  readonly orderbook: Address;
  readonly blockNumber: bigint;
  readonly logIndex?: number | null;
  /** Hash of block `blockNumber`, to detect a reorg on the next poll. */
  readonly blockHash?: Hex | null;
  /** Timestamp (seconds) of block `blockNumber`. */
  readonly timestamp?: bigint | null;
  /**
   * First block the sync of this orderbook covers. Recorded by the first write that gives it and
   * kept afterwards (a stored history does not change where it starts).
   */
  readonly syncStart?: bigint | null;
  /**
   * True when `syncStart` is after the orderbook's deployment block (or that block is unknown), so
   * vault balances built from this history miss earlier changes. Recorded like `syncStart`.
   */
  readonly partial?: boolean | null;
};

/** A stored cursor. */
export type SyncCursor = {
  readonly chainId: number;
  readonly orderbook: Address;
  readonly blockNumber: bigint;
  readonly logIndex: number | null;
  readonly blockHash: Hex | null;
  readonly timestamp: bigint | null;
  /** Where the sync started; `null` when never recorded (cursors written by schema version 1). */
  readonly syncStart: bigint | null;
  /** Whether that start was after the deployment; `null` when never recorded. */
  readonly partial: boolean | null;
  /** Wall-clock time of the last write, ms since the epoch. */
  readonly updatedAt: number;
};

type CursorRow = {
  chain_id: bigint;
  orderbook: Address;
  block_number: bigint;
  log_index: number | null;
  block_hash: Hex | null;
  timestamp: bigint | null;
  updated_at: bigint;
  sync_start: bigint | null;
  partial: boolean | null;
};

function toCursor(row: CursorRow): SyncCursor {
  return {
    chainId: Number(row.chain_id),
    orderbook: row.orderbook,
    blockNumber: row.block_number,
    logIndex: row.log_index,
    blockHash: row.block_hash,
    timestamp: row.timestamp,
    syncStart: row.sync_start,
    partial: row.partial,
    updatedAt: Number(row.updated_at),
  };
}

/** Orders positions; a whole block (`null` log index) comes after each of its logs. */
function comparePositions(
  a: { blockNumber: bigint; logIndex: number | null },
  b: { blockNumber: bigint; logIndex: number | null },
): number {
  if (a.blockNumber !== b.blockNumber) return a.blockNumber < b.blockNumber ? -1 : 1;
  const ai = a.logIndex ?? Infinity;
  const bi = b.logIndex ?? Infinity;
  return ai === bi ? 0 : ai < bi ? -1 : 1;
}

/**
 * The stored cursor of an orderbook, or `null` when it was never synced.
 *
 * @example
 * ```ts
 * import { migrate, readCursor } from "./mod.ts";
 * import { openDuckDbMemory } from "./native.ts";
 * const db = await openDuckDbMemory();
 * await migrate(db);
 * console.log(await readCursor(db, 1, "0x00000000000000000000000000000000000000aa")); // null
 * await db.close();
 * ```
 */
export async function readCursor(
  db: Db,
  chainId: number,
  orderbook: Address,
): Promise<SyncCursor | null> {
  const rows = await db.query<CursorRow>(
    "SELECT * FROM sync_cursors WHERE chain_id = $1 AND orderbook = $2",
    [BigInt(chainId), orderbook.toLowerCase()],
  );
  return rows.length === 0 ? null : toCursor(rows[0]);
}

/**
 * Moves an orderbook's cursor forward (or sets it the first time). Must be called on a transaction
 * handle — the one that stores the data the cursor covers — so data and cursor commit together or
 * not at all.
 *
 * @throws {DbTransactionError} (`reason: "required"`) outside a transaction.
 * @throws {DbCursorError} when the new position is before the stored one (use `rollbackAfter`).
 *
 * @example
 * ```ts
 * import { advanceCursor, insertRawEvents, migrate } from "./mod.ts";
 * import { openDuckDbMemory } from "./native.ts";
 * const db = await openDuckDbMemory();
 * await migrate(db);
 * const orderbook = "0x00000000000000000000000000000000000000aa";
 * await db.transaction(async (tx) => {
 *   await insertRawEvents(tx, []);
 *   await advanceCursor(tx, { chainId: 1, orderbook, blockNumber: 100n });
 * });
 * await db.close();
 * ```
 */
export async function advanceCursor(db: Db, cursor: CursorInput): Promise<SyncCursor> {
  requireTransaction(db, "advanceCursor");
  const orderbook = cursor.orderbook.toLowerCase() as Address;
  const next = { blockNumber: cursor.blockNumber, logIndex: cursor.logIndex ?? null };
  const current = await readCursor(db, cursor.chainId, orderbook);
  if (current && comparePositions(next, current) < 0) {
    throw new DbCursorError(
      `cursor of ${orderbook} on chain ${cursor.chainId} is at block ${current.blockNumber}` +
        `${
          current.logIndex === null ? "" : ` log ${current.logIndex}`
        }; refusing to move it back ` +
        `to block ${next.blockNumber}${
          next.logIndex === null ? "" : ` log ${next.logIndex}`
        } (rollbackAfter is the way back)`,
      {
        chainId: cursor.chainId,
        orderbook,
        reason: "regression",
        current: { blockNumber: current.blockNumber.toString(), logIndex: current.logIndex },
        requested: { blockNumber: next.blockNumber.toString(), logIndex: next.logIndex },
      },
    );
  }
  const updatedAt = Date.now();
  // The start and the partial flag describe the whole stored history: the first recorded values
  // stay (a later write without them, or with others, does not move where the history starts).
  const syncStart = current?.syncStart ?? cursor.syncStart ?? null;
  const partial = current?.partial ?? cursor.partial ?? null;
  await db.query(
    `INSERT INTO sync_cursors (chain_id, orderbook, block_number, log_index, block_hash, timestamp,
       updated_at, sync_start, partial) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (chain_id, orderbook) DO UPDATE SET block_number = excluded.block_number,
       log_index = excluded.log_index, block_hash = excluded.block_hash,
       timestamp = excluded.timestamp, updated_at = excluded.updated_at,
       sync_start = excluded.sync_start, partial = excluded.partial`,
    [
      BigInt(cursor.chainId),
      orderbook,
      next.blockNumber,
      next.logIndex,
      cursor.blockHash?.toLowerCase() ?? null,
      cursor.timestamp ?? null,
      BigInt(updatedAt),
      syncStart,
      partial,
    ],
  );
  return {
    chainId: cursor.chainId,
    orderbook,
    blockNumber: next.blockNumber,
    logIndex: next.logIndex,
    blockHash: (cursor.blockHash?.toLowerCase() ?? null) as Hex | null,
    timestamp: cursor.timestamp ?? null,
    syncStart,
    partial,
    updatedAt,
  };
}
