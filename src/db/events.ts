/**
 * Raw logs and blocks: idempotent bulk inserts and the ordered read that rebuilds use.
 *
 * @module
 */
import type { Address, Hex } from "viem";
import { insertIdempotent, lower } from "./insert.ts";
import { quoteString } from "./sql.ts";
import type { Db, DbValue } from "./types.ts";

/**
 * A log to store: the shape of `eth_getLogs` entries (viem's `Log`) plus the chain id and,
 * optionally, the decoded event name. The events module's `RawLog` fits as is.
 */
export type RawEventInput = {
  readonly chainId: number;
  /** Emitting contract (an orderbook or a store). */
  readonly address: Address;
  readonly blockNumber: bigint;
  readonly blockHash: Hex;
  readonly logIndex: number;
  readonly transactionHash: Hex;
  readonly transactionIndex: number;
  /** Up to four topics; topic 0 is the event signature. */
  readonly topics: readonly Hex[];
  readonly data: Hex;
  /** Decoded event name (`"AddOrderV3"`, `"Set"`, …), when known. */
  readonly eventName?: string | null;
};

/** A stored log as {@link readEventsOrdered} returns it. */
export type RawEventRecord = {
  readonly chainId: number;
  readonly address: Address;
  readonly blockNumber: bigint;
  readonly blockHash: Hex;
  readonly logIndex: number;
  readonly transactionHash: Hex;
  readonly transactionIndex: number;
  readonly topics: readonly Hex[];
  readonly data: Hex;
  readonly eventName: string | null;
  /** Block timestamp (seconds) from `blocks`, when that block is stored. */
  readonly timestamp: bigint | null;
};

/** A block header to store (for timestamps and reorg detection). */
export type BlockInput = {
  readonly chainId: number;
  readonly blockNumber: bigint;
  readonly blockHash: Hex;
  readonly parentHash: Hex;
  /** Seconds since the epoch. */
  readonly timestamp: bigint;
};

const RAW_EVENT_COLUMNS = [
  "chain_id",
  "address",
  "block_number",
  "block_hash",
  "log_index",
  "tx_hash",
  "tx_index",
  "topic0",
  "topic1",
  "topic2",
  "topic3",
  "data",
  "event_name",
] as const;

/**
 * Stores logs, skipping any already stored under the same `(chain_id, address, block_number,
 * log_index)`. Addresses and hex are lowercased.
 *
 * @returns The number of new rows.
 *
 * @example
 * ```ts
 * import { insertRawEvents, migrate } from "./mod.ts";
 * import { openDuckDbMemory } from "./native.ts";
 * const db = await openDuckDbMemory();
 * await migrate(db);
 * const log = {
 *   chainId: 1, address: "0x00000000000000000000000000000000000000aa", blockNumber: 5n,
 *   blockHash: `0x${"11".repeat(32)}`, logIndex: 0, transactionHash: `0x${"22".repeat(32)}`,
 *   transactionIndex: 0, topics: [`0x${"33".repeat(32)}`], data: "0x", eventName: "DepositV2",
 * } as const;
 * console.log(await insertRawEvents(db, [log]), await insertRawEvents(db, [log])); // 1 0
 * await db.close();
 * ```
 */
export function insertRawEvents(db: Db, events: readonly RawEventInput[]): Promise<number> {
  const rows: DbValue[][] = events.map((e) => {
    if (e.topics.length > 4) {
      throw new RangeError(`a log has at most 4 topics, got ${e.topics.length} at ${e.logIndex}`);
    }
    return [
      BigInt(e.chainId),
      lower(e.address),
      e.blockNumber,
      lower(e.blockHash),
      e.logIndex,
      lower(e.transactionHash),
      e.transactionIndex,
      lower(e.topics[0] ?? null),
      lower(e.topics[1] ?? null),
      lower(e.topics[2] ?? null),
      lower(e.topics[3] ?? null),
      lower(e.data),
      e.eventName ?? null,
    ];
  });
  return insertIdempotent(db, "raw_events", RAW_EVENT_COLUMNS, rows, [
    "chain_id",
    "address",
    "block_number",
    "log_index",
  ]);
}

/**
 * Stores block headers, skipping blocks already stored. A stored block whose hash differs from the
 * chain's is a reorg: roll back with `rollbackAfter` before storing the new branch.
 *
 * @example
 * ```ts
 * import { insertBlocks, migrate } from "./mod.ts";
 * import { openDuckDbMemory } from "./native.ts";
 * const db = await openDuckDbMemory();
 * await migrate(db);
 * await insertBlocks(db, [{
 *   chainId: 1, blockNumber: 5n, blockHash: `0x${"11".repeat(32)}`,
 *   parentHash: `0x${"10".repeat(32)}`, timestamp: 1_700_000_000n,
 * }]);
 * await db.close();
 * ```
 */
export function insertBlocks(db: Db, blocks: readonly BlockInput[]): Promise<number> {
  return insertIdempotent(
    db,
    "blocks",
    ["chain_id", "block_number", "block_hash", "parent_hash", "timestamp"],
    blocks.map((b) => [
      BigInt(b.chainId),
      b.blockNumber,
      lower(b.blockHash),
      lower(b.parentHash),
      b.timestamp,
    ]),
    ["chain_id", "block_number"],
  );
}

/** Options of {@link readEventsOrdered}. */
export type ReadEventsOrderedOptions = {
  /** First block to include. */
  fromBlock?: bigint;
  /** Last block to include. */
  toBlock?: bigint;
  /**
   * Rows per read (default 10,000; whole blocks, so a read can hold more). Reads are yielded in
   * pieces of whole blocks of about 1,000 rows at most.
   */
  chunkSize?: number;
  /**
   * Also yield the `Set` logs of the stores this orderbook's orders use (default true): a rebuild
   * needs them interleaved with the orderbook's events.
   */
  includeStores?: boolean;
};

const MAX_UBIGINT = 2n ** 64n - 1n;

type RawEventRow = {
  chain_id: bigint;
  address: Address;
  block_number: bigint;
  block_hash: Hex;
  log_index: number;
  tx_hash: Hex;
  tx_index: number;
  topic0: Hex | null;
  topic1: Hex | null;
  topic2: Hex | null;
  topic3: Hex | null;
  data: Hex;
  event_name: string | null;
  timestamp: bigint | null;
};

function toRecord(row: RawEventRow): RawEventRecord {
  const topics: Hex[] = [];
  for (const topic of [row.topic0, row.topic1, row.topic2, row.topic3]) {
    if (topic === null) break;
    topics.push(topic);
  }
  return {
    chainId: Number(row.chain_id),
    address: row.address,
    blockNumber: row.block_number,
    blockHash: row.block_hash,
    logIndex: row.log_index,
    transactionHash: row.tx_hash,
    transactionIndex: row.tx_index,
    topics,
    data: row.data,
    eventName: row.event_name,
    timestamp: row.timestamp,
  };
}

/** Fields of one packed row, in order (see `PACKED_ROW`). */
const PACKED_FIELDS = 12;

// One row as text: DuckDB concatenates a whole chunk into one string (one value to hand over
// instead of twelve a row: the binding's per-value conversion costs more than the query).
// Absent topics are empty (a topic is never empty), a NULL event name is U+001D. Timestamps are
// read from `blocks` on their own (one row per block rather than a join repeated on every log).
const PACKED_ROW = `concat_ws(chr(30), e.block_number, e.log_index, e.address, e.block_hash,
  e.tx_hash, e.tx_index, coalesce(e.topic0, ''), coalesce(e.topic1, ''), coalesce(e.topic2, ''),
  coalesce(e.topic3, ''), e.data, coalesce(e.event_name, chr(29)))`;

/**
 * Parses lines `[from, to)` of a packed chunk, or returns `null` when a line does not split into
 * its fields (a value held a separator: then those rows are read one by one).
 */
function unpackRecords(
  chainId: number,
  lines: readonly string[],
  from: number,
  to: number,
  timestamps: ReadonlyMap<string, bigint>,
): RawEventRecord[] | null {
  const out: RawEventRecord[] = new Array(to - from);
  let blockText = "";
  let blockNumber = 0n;
  let blockHash = "";
  let timestamp: bigint | null = null;
  for (let i = from; i < to; i++) {
    const f = lines[i].split("\x1e");
    if (f.length !== PACKED_FIELDS) return null;
    if (f[0] !== blockText) {
      blockText = f[0];
      blockNumber = BigInt(blockText);
      timestamp = timestamps.get(blockText) ?? null;
    }
    // Logs of one block share one hash string.
    if (f[3] !== blockHash) blockHash = f[3];
    const topics: Hex[] = [];
    for (let t = 6; t < 10 && f[t] !== ""; t++) topics.push(f[t] as Hex);
    out[i - from] = {
      chainId,
      address: f[2] as Address,
      blockNumber,
      blockHash: blockHash as Hex,
      logIndex: Number(f[1]),
      transactionHash: f[4] as Hex,
      transactionIndex: Number(f[5]),
      topics,
      data: f[10] as Hex,
      eventName: f[11] === "\x1d" ? null : f[11],
      timestamp,
    };
  }
  return out;
}

/** The block-number text a packed line starts with. */
function lineBlock(line: string): string {
  return line.slice(0, line.indexOf("\x1e"));
}

/** Logs yielded at a time (then on to the end of the block). */
const PIECE_LOGS = 1000;

/** End of the piece of `count` items starting at `from`: `PIECE_LOGS`, then to its block's end. */
function pieceEnd(count: number, from: number, blockAt: (i: number) => unknown): number {
  let to = Math.min(from + PIECE_LOGS, count);
  const last = blockAt(to - 1);
  while (to < count && blockAt(to) === last) to++;
  return to;
}

/** Records in pieces of whole blocks (rows read one by one are yielded the same way). */
function* inPieces(records: RawEventRecord[]): Generator<RawEventRecord[], void, undefined> {
  for (let from = 0; from < records.length;) {
    const to = pieceEnd(records.length, from, (i) => records[i].blockNumber);
    yield records.slice(from, to);
    from = to;
  }
}

/**
 * Reads an orderbook's stored logs (and its stores' logs) in `(block_number, log_index)` order, in
 * chunks, so a rebuild can stream millions of rows. One query first splits the blocks into ranges
 * of about `chunkSize` logs (a block is never split); each range is then one query whose rows come
 * back packed in a single string, issued as soon as the previous range's rows arrive, and yielded
 * in pieces of whole blocks of about 1,000 logs, each unpacked when its turn comes. No result set
 * or transaction stays open between ranges; logs stored meanwhile beyond the last range are read
 * at the end.
 *
 * @example
 * ```ts
 * import { migrate, readEventsOrdered } from "./mod.ts";
 * import { openDuckDbMemory } from "./native.ts";
 * const db = await openDuckDbMemory();
 * await migrate(db);
 * const orderbook = "0x00000000000000000000000000000000000000aa";
 * for await (const chunk of readEventsOrdered(db, 1, orderbook, { fromBlock: 0n })) {
 *   for (const event of chunk) console.log(event.blockNumber, event.logIndex, event.eventName);
 * }
 * await db.close();
 * ```
 */
export async function* readEventsOrdered(
  db: Db,
  chainId: number,
  orderbook: Address,
  options: ReadEventsOrderedOptions = {},
): AsyncGenerator<RawEventRecord[], void, undefined> {
  const chunkSize = options.chunkSize ?? 10_000;
  if (!Number.isSafeInteger(chunkSize) || chunkSize <= 0) {
    throw new RangeError(`chunkSize must be a positive integer, got ${chunkSize}`);
  }
  const addressFilter = options.includeStores === false
    ? "e.address = $2"
    : "(e.address = $2 OR e.address IN (SELECT DISTINCT store FROM order_events " +
      "WHERE chain_id = $1 AND orderbook = $2))";
  const from = options.fromBlock ?? 0n;
  const to = options.toBlock ?? MAX_UBIGINT;
  const chain = BigInt(chainId);
  const ob = orderbook.toLowerCase();
  const where = `e.chain_id = $1::UBIGINT AND ${addressFilter}`;
  // The ranged reads name the stores once, as literals, instead of re-running the store subquery
  // in each chunk's two queries; logs stored later are read with the live filter (`where`).
  let rangedWhere = where;
  if (options.includeStores !== false) {
    rangedWhere = orderbookAndStoresWhere(await storeAddresses(db, chain, ob));
  }
  const ranges = await blockRanges(db, rangedWhere, [chain, ob, from, to], chunkSize);
  const join = "LEFT JOIN blocks b ON b.chain_id = e.chain_id AND b.block_number = e.block_number";
  let afterBlock = from;
  let afterLog = -1n;
  // Both statements of a range are issued at once, and the next range's as soon as this one's
  // rows arrive: a back end that queues them (the worker) reads ahead while the caller works.
  const readRange = ({ lo, hi }: { lo: bigint; hi: bigint }) =>
    Promise.all([
      db.query<{ n: bigint; rows: string | null }>(
        `SELECT count(*) AS n,
           string_agg(${PACKED_ROW}, chr(31) ORDER BY e.block_number, e.log_index) AS rows
         FROM raw_events e
         WHERE ${rangedWhere} AND e.block_number >= $3::UBIGINT AND e.block_number <= $4::UBIGINT`,
        [chain, ob, lo, hi],
      ),
      db.query<{ block_number: bigint; timestamp: bigint }>(
        `SELECT block_number, timestamp FROM blocks
         WHERE chain_id = $1::UBIGINT AND block_number >= $2::UBIGINT AND block_number <= $3::UBIGINT`,
        [chain, lo, hi],
      ),
    ]);
  let ahead = ranges.length > 0 ? readRange(ranges[0]) : undefined;
  for (let r = 0; r < ranges.length; r++) {
    const { hi } = ranges[r];
    const [[packed], stamps] = await ahead!;
    ahead = r + 1 < ranges.length ? readRange(ranges[r + 1]) : undefined;
    // A read-ahead nobody awaits (the caller stopped early) must not surface as unhandled.
    ahead?.catch(() => undefined);
    const count = Number(packed.n);
    const lines = count > 0 ? (packed.rows ?? "").split("\x1f") : [];
    const timestamps = new Map<string, bigint>();
    for (const b of stamps) timestamps.set(String(b.block_number), b.timestamp);
    // Yielded a piece of whole blocks at a time, each unpacked when its turn comes: the caller's
    // work on one piece never has the whole range's records alive beside it. A value holding a
    // separator (the text does not split as packed) sends the rest of the range to a row read.
    let from = 0;
    let yielded: bigint | undefined;
    if (lines.length === count) {
      while (from < count) {
        const to = pieceEnd(count, from, (i) => lineBlock(lines[i]));
        const piece = unpackRecords(chainId, lines, from, to, timestamps);
        if (piece === null) break;
        yield piece;
        yielded = piece[piece.length - 1].blockNumber;
        from = to;
      }
    }
    if (from < count) {
      const start = yielded === undefined ? ranges[r].lo : yielded + 1n;
      yield* inPieces(
        (await readRows(db, rangedWhere, join, [chain, ob, start, hi])).map(toRecord),
      );
    }
    afterBlock = hi;
    afterLog = BIGGEST_LOG_INDEX;
  }
  // Logs stored after the ranges were computed (a sync running meanwhile): keyset pages.
  for (;;) {
    const rows = await db.query<RawEventRow>(
      `SELECT e.*, b.timestamp FROM raw_events e ${join}
       WHERE ${where} AND e.block_number <= $4::UBIGINT
         AND (e.block_number > $3::UBIGINT OR (e.block_number = $3::UBIGINT AND e.log_index > $5::BIGINT))
       ORDER BY e.block_number, e.log_index
       LIMIT ${chunkSize}`,
      [chain, ob, afterBlock, to, afterLog],
    );
    if (rows.length === 0) return;
    yield* inPieces(rows.map(toRecord));
    if (rows.length < chunkSize) return;
    const last = rows[rows.length - 1];
    afterBlock = last.block_number;
    afterLog = BigInt(last.log_index);
  }
}

/**
 * The stores named by an orderbook's stored orders (lowercase, sorted): whose `Set` logs a
 * rebuild reads beside the orderbook's.
 *
 * @example
 * ```ts
 * import { migrate } from "./mod.ts";
 * import { storeAddresses } from "./events.ts";
 * import { openDuckDbMemory } from "./native.ts";
 * const db = await openDuckDbMemory();
 * await migrate(db);
 * console.log(await storeAddresses(db, 1n, "0x00000000000000000000000000000000000000aa")); // []
 * await db.close();
 * ```
 */
export async function storeAddresses(db: Db, chain: bigint, orderbook: string): Promise<string[]> {
  const rows = await db.query<{ store: string }>(
    "SELECT DISTINCT store FROM order_events WHERE chain_id = $1 AND orderbook = $2 ORDER BY 1",
    [chain, orderbook],
  );
  return rows.map((r) => r.store);
}

/**
 * The `raw_events e` condition for the logs of the orderbook `$2` on chain `$1` and of `stores`
 * (named as literals, read once rather than a subquery run by every range's queries).
 *
 * @example
 * ```ts
 * import { orderbookAndStoresWhere } from "./events.ts";
 * console.log(orderbookAndStoresWhere(["0x00000000000000000000000000000000000000dd"]));
 * ```
 */
export function orderbookAndStoresWhere(stores: readonly string[]): string {
  return `e.chain_id = $1::UBIGINT AND e.address IN ($2${
    stores.map((s) => `, ${quoteString(s)}`).join("")
  })`;
}

/**
 * Splits the blocks of `raw_events e` matching `where` within `[$3, $4]` into ranges of about
 * `chunkSize` logs (a block is never split), in block order. `params` are `$1…$4`.
 *
 * @example
 * ```ts
 * import { migrate } from "./mod.ts";
 * import { blockRanges, orderbookAndStoresWhere } from "./events.ts";
 * import { openDuckDbMemory } from "./native.ts";
 * const db = await openDuckDbMemory();
 * await migrate(db);
 * const where = orderbookAndStoresWhere([]);
 * console.log(await blockRanges(db, where, [1n, "0x00000000000000000000000000000000000000aa", 0n, 100n], 10_000)); // []
 * await db.close();
 * ```
 */
export function blockRanges(
  db: Db,
  where: string,
  params: readonly (bigint | string)[],
  chunkSize: number,
): Promise<{ lo: bigint; hi: bigint }[]> {
  return db.query<{ lo: bigint; hi: bigint }>(
    `SELECT min(block_number) AS lo, max(block_number) AS hi FROM (
       SELECT block_number, (sum(n) OVER (ORDER BY block_number) - 1) // ${chunkSize} AS part
       FROM (SELECT e.block_number, count(*) AS n FROM raw_events e
             WHERE ${where} AND e.block_number >= $3::UBIGINT AND e.block_number <= $4::UBIGINT
             GROUP BY 1))
     GROUP BY part ORDER BY part`,
    params,
  );
}

/** Above every `UINTEGER` log index: "after the whole block". */
const BIGGEST_LOG_INDEX = 2n ** 32n;

function readRows(
  db: Db,
  where: string,
  join: string,
  params: readonly bigint[] | readonly (bigint | string)[],
): Promise<RawEventRow[]> {
  return db.query<RawEventRow>(
    `SELECT e.*, b.timestamp FROM raw_events e ${join}
     WHERE ${where} AND e.block_number >= $3::UBIGINT AND e.block_number <= $4::UBIGINT
     ORDER BY e.block_number, e.log_index`,
    params,
  );
}

/** A stored block header. */
export type BlockRecord = BlockInput;

/**
 * Stored block headers of a chain within `[fromBlock, toBlock]`, by number — e.g. to compare their
 * hashes with the node's and find a reorg's fork point.
 *
 * @example
 * ```ts
 * import { migrate, readBlocks } from "./mod.ts";
 * import { openDuckDbMemory } from "./native.ts";
 * const db = await openDuckDbMemory();
 * await migrate(db);
 * console.log(await readBlocks(db, 1, 0n, 100n)); // []
 * await db.close();
 * ```
 */
export async function readBlocks(
  db: Db,
  chainId: number,
  fromBlock: bigint,
  toBlock: bigint,
): Promise<BlockRecord[]> {
  const rows = await db.query<{
    block_number: bigint;
    block_hash: Hex;
    parent_hash: Hex;
    timestamp: bigint;
  }>(
    `SELECT block_number, block_hash, parent_hash, timestamp FROM blocks
     WHERE chain_id = $1 AND block_number >= $2 AND block_number <= $3 ORDER BY block_number`,
    [BigInt(chainId), fromBlock, toBlock],
  );
  return rows.map((r) => ({
    chainId,
    blockNumber: r.block_number,
    blockHash: r.block_hash,
    parentHash: r.parent_hash,
    timestamp: r.timestamp,
  }));
}
