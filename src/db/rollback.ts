/**
 * Reorg rollback: forget everything a chain stored above a fork point and move cursors back to it.
 *
 * @module
 */
import type { Address } from "viem";
import { withTransaction } from "./core.ts";
import { readCursor, type SyncCursor } from "./cursor.ts";
import { CHAIN_TABLES } from "./schema.ts";
import { quoteIdent } from "./sql.ts";
import type { Db } from "./types.ts";

/** What {@link rollbackAfter} removed and moved. */
export type RollbackResult = {
  readonly chainId: number;
  /** The last block kept. */
  readonly forkBlock: bigint;
  /** Rows deleted per table. */
  readonly deleted: Readonly<Record<string, number>>;
  /** Orderbooks whose cursor was moved back to `forkBlock`. */
  readonly cursorsMoved: readonly Address[];
  /** The cursor of the orderbook that asked, after the rollback (null when it had none). */
  readonly cursor: SyncCursor | null;
};

/**
 * Rolls a chain back to `forkBlock` (the last block both branches share): in one transaction, deletes
 * every row of `chainId` above it from every chain table (`CHAIN_TABLES`: raw and decoded events,
 * store sets, blocks, bytecode fetched there, snapshots taken there) and moves every cursor of the
 * chain that is past it back to the end of `forkBlock`.
 *
 * The rollback is chain-wide rather than per orderbook because a reorg orphans the chain's blocks
 * for everyone, and stores (and their `Set` rows) are shared by every orderbook on a chain: keeping
 * another orderbook's rows from the orphaned branch would let idempotent inserts keep them forever.
 * `erc20_tokens` rows are kept (decimals do not depend on the branch).
 *
 * @param orderbook The orderbook whose sync found the reorg; its cursor is returned.
 *
 * @example
 * ```ts
 * import { migrate, rollbackAfter } from "./mod.ts";
 * import { openDuckDbMemory } from "./native.ts";
 * const db = await openDuckDbMemory();
 * await migrate(db);
 * const result = await rollbackAfter(db, 1, "0x00000000000000000000000000000000000000aa", 99n);
 * console.log(result.deleted.raw_events); // 0
 * await db.close();
 * ```
 */
export function rollbackAfter(
  db: Db,
  chainId: number,
  orderbook: Address,
  forkBlock: bigint,
): Promise<RollbackResult> {
  return withTransaction(db, async (tx) => {
    const deleted: Record<string, number> = {};
    for (const { table, blockColumn } of CHAIN_TABLES) {
      const rows = await tx.query<{ Count: bigint }>(
        `DELETE FROM ${quoteIdent(table)} WHERE chain_id = $1 AND ${quoteIdent(blockColumn)} > $2`,
        [BigInt(chainId), forkBlock],
      );
      deleted[table] = Number(rows[0]?.Count ?? 0n);
    }
    const moved = await tx.query<{ orderbook: Address }>(
      `UPDATE sync_cursors SET block_number = $2, log_index = NULL,
         block_hash = (SELECT block_hash FROM blocks WHERE chain_id = $1 AND block_number = $2),
         timestamp = (SELECT timestamp FROM blocks WHERE chain_id = $1 AND block_number = $2),
         updated_at = $3
       WHERE chain_id = $1 AND block_number > $2
       RETURNING orderbook`,
      [BigInt(chainId), forkBlock, BigInt(Date.now())],
    );
    return {
      chainId,
      forkBlock,
      deleted,
      cursorsMoved: moved.map((r) => r.orderbook).sort(),
      cursor: await readCursor(tx, chainId, orderbook),
    };
  });
}
