/**
 * Virtual orderbook snapshots: a serialised engine state at a block, checksummed so a damaged row
 * is refused instead of restored.
 *
 * @module
 */
import { type Address, keccak256, stringToHex } from "viem";
import { CorruptDatabaseError } from "./errors.ts";
import type { Db } from "./types.ts";

/** A snapshot to store. `snapshot` is JSON text (the engine's JSON-safe snapshot, serialised). */
export type VirtualSnapshotInput = {
  readonly chainId: number;
  readonly orderbook: Address;
  /** The block the snapshot reflects (every event up to its end, or up to `logIndex`). */
  readonly blockNumber: bigint;
  readonly logIndex?: number | null;
  /** Format tag of the snapshot text, e.g. `"vraindex-snapshot/1"`. */
  readonly format?: string | null;
  readonly snapshot: string;
};

/** A stored snapshot, checksum verified. */
export type VirtualSnapshot = {
  readonly chainId: number;
  readonly orderbook: Address;
  readonly blockNumber: bigint;
  readonly logIndex: number | null;
  readonly format: string | null;
  readonly snapshot: string;
  /** `keccak256` of the snapshot text's UTF-8 bytes. */
  readonly checksum: string;
  /** Wall-clock time it was written, ms since the epoch. */
  readonly createdAt: number;
};

type SnapshotRow = {
  chain_id: bigint;
  orderbook: Address;
  block_number: bigint;
  log_index: number | null;
  format: string | null;
  snapshot: string;
  checksum: string;
  created_at: bigint;
};

function checksumOf(text: string): string {
  return keccak256(stringToHex(text));
}

/**
 * Stores a snapshot; one per `(chain, orderbook, block)`, replaced when written again.
 *
 * @example
 * ```ts
 * import { migrate, readLatestVirtualSnapshot, writeVirtualSnapshot } from "./mod.ts";
 * import { openDuckDbMemory } from "./native.ts";
 * const db = await openDuckDbMemory();
 * await migrate(db);
 * const orderbook = "0x00000000000000000000000000000000000000aa";
 * await writeVirtualSnapshot(db, { chainId: 1, orderbook, blockNumber: 10n, snapshot: "{}" });
 * console.log((await readLatestVirtualSnapshot(db, 1, orderbook))?.blockNumber); // 10n
 * await db.close();
 * ```
 */
export async function writeVirtualSnapshot(db: Db, input: VirtualSnapshotInput): Promise<void> {
  await db.query(
    `INSERT OR REPLACE INTO virtual_snapshots VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      BigInt(input.chainId),
      input.orderbook.toLowerCase(),
      input.blockNumber,
      input.logIndex ?? null,
      input.format ?? null,
      input.snapshot,
      checksumOf(input.snapshot),
      BigInt(Date.now()),
    ],
  );
}

/**
 * The latest snapshot of an orderbook at or before `atOrBefore` (default: any), or `null`.
 *
 * @throws {CorruptDatabaseError} when the stored text does not match its checksum.
 *
 * @example
 * ```ts
 * import { migrate, readLatestVirtualSnapshot } from "./mod.ts";
 * import { openDuckDbMemory } from "./native.ts";
 * const db = await openDuckDbMemory();
 * await migrate(db);
 * console.log(await readLatestVirtualSnapshot(db, 1, "0x00000000000000000000000000000000000000aa")); // null
 * await db.close();
 * ```
 */
export async function readLatestVirtualSnapshot(
  db: Db,
  chainId: number,
  orderbook: Address,
  atOrBefore?: bigint,
): Promise<VirtualSnapshot | null> {
  const rows = await db.query<SnapshotRow>(
    `SELECT * FROM virtual_snapshots WHERE chain_id = $1 AND orderbook = $2
       AND block_number <= $3::UBIGINT ORDER BY block_number DESC LIMIT 1`,
    [BigInt(chainId), orderbook.toLowerCase(), atOrBefore ?? 2n ** 64n - 1n],
  );
  if (rows.length === 0) return null;
  const row = rows[0];
  if (checksumOf(row.snapshot) !== row.checksum) {
    throw new CorruptDatabaseError(
      `snapshot of ${row.orderbook} on chain ${row.chain_id} at block ${row.block_number} does ` +
        "not match its checksum",
      { path: db.path, table: "virtual_snapshots", reason: "snapshot checksum mismatch" },
    );
  }
  return {
    chainId: Number(row.chain_id),
    orderbook: row.orderbook,
    blockNumber: row.block_number,
    logIndex: row.log_index,
    format: row.format,
    snapshot: row.snapshot,
    checksum: row.checksum,
    createdAt: Number(row.created_at),
  };
}
